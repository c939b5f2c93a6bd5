from django.db import migrations, models


class Migration(migrations.Migration):
    """State only: the model now states the blind index's lookup index by its three key fields.

    The index itself is unchanged: on PostgreSQL migration 0003 built it with
    ``INCLUDE (person_id)`` (an index-only name search), on SQLite with the three fields. Django
    checks ``include`` against the database in use, and SQLite's missing INCLUDE made every
    ``manage.py`` command there print a warning (models.W040), ``make run`` included."""

    dependencies = [
        ("keystore", "0003_blind_index_covering"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(
                    model_name="blindindex",
                    name="blindindex_agency_digest_cov",
                ),
                migrations.AddIndex(
                    model_name="blindindex",
                    index=models.Index(
                        fields=["agency_id", "kind", "digest"],
                        name="blindindex_agency_digest_cov",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
