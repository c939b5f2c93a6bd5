from django.db import migrations


def refresh_taxonomy(apps, schema_editor):
    """Taxonomy version 2: the faith-based feature and the gender eligibility terms, which were
    created on first use before, are published with the rest."""
    from wayfinder.directory.taxonomy import ensure_wayfinder_taxonomy

    ensure_wayfinder_taxonomy(
        apps.get_model("directory", "Taxonomy"), apps.get_model("directory", "TaxonomyTerm")
    )


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_wayfinder_taxonomy")]

    operations = [migrations.RunPython(refresh_taxonomy, migrations.RunPython.noop)]
