from django.db import migrations


def create_taxonomy(apps, schema_editor):
    from wayfinder.directory.taxonomy import ensure_wayfinder_taxonomy

    ensure_wayfinder_taxonomy(
        apps.get_model("directory", "Taxonomy"), apps.get_model("directory", "TaxonomyTerm")
    )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(create_taxonomy, migrations.RunPython.noop)]
