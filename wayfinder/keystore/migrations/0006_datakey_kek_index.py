"""An index of the data keys by the KEK that wraps them.

``keyrotation.forget_status`` (on every agency and network admin's dashboard) asks which KEKs of
the ring still wrap a key. Without the index that was a read of every data key in the network,
twice: 107 ms of the dashboard at 10^6 persons. With it, one probe per KEK.

Built ``CONCURRENTLY`` on PostgreSQL (hence ``atomic = False``), as 0005: a plain build would hold
back every intake while it read a million keys.
"""

from django.db import migrations, models

NAME = "datakey_kek"


def forwards(apps, schema_editor):
    table = schema_editor.quote_name(apps.get_model("keystore", "DataKey")._meta.db_table)
    how = " CONCURRENTLY" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"CREATE INDEX{how} IF NOT EXISTS {NAME} ON {table} (kek_id)")


def backwards(apps, schema_editor):
    how = " CONCURRENTLY" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"DROP INDEX{how} IF EXISTS {NAME}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("keystore", "0005_blind_index_person_key")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="datakey", index=models.Index(fields=["kek_id"], name=NAME)
                ),
            ],
            database_operations=[
                migrations.RunPython(forwards, backwards, hints={"model_name": "datakey"})
            ],
        )
    ]
