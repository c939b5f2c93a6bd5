"""Languages and the interpreter moved from "demographics" to "communication" (issue 11).

A consent signed before the move that shared demographics shared the person's languages with it,
so it keeps doing so: it gains "communication". Nothing else is added (not the reason for
referral, which the person must agree to explicitly). Reversible.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Consent = apps.get_model("consent", "Consent")
    rows = Consent.objects.filter(categories__icontains='"demographics"').order_by("pk")
    for consent in rows.iterator():
        if "communication" not in consent.categories:
            consent.categories = [*consent.categories, "communication"]
            consent.save(update_fields=["categories"])


def backwards(apps, schema_editor):
    Consent = apps.get_model("consent", "Consent")
    rows = Consent.objects.filter(categories__icontains='"communication"').order_by("pk")
    for consent in rows.iterator():
        consent.categories = [c for c in consent.categories if c != "communication"]
        consent.save(update_fields=["categories"])


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
