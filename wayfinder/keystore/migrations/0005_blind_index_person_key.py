"""The blind index's lookup index keyed (agency, kind, digest, person), not (agency, kind, digest)
with the person only included.

A name search now starts from one term's entries and looks up the other terms' entries of the
same person (``crypto.blind_match_all``); with the person as the last key each of those lookups
is one seek, so the database can start from the rarest term. The ids are still read from the
index alone.

Built ``CONCURRENTLY`` on PostgreSQL (hence ``atomic = False``): at 10^6 persons the keystore holds
millions of entries, and a plain build would hold back every intake and name change until it
finished. The new index is built before the old is dropped, so a lookup always has one.

Which term is rarest, PostgreSQL reads from its statistics of ``digest``: by default they hold the
100 commonest values, too few to see that a first name shared by one person in 14 is common, so it
would start from that name. They now hold 1,000 (``SET STATISTICS``). And a digest is made with its
agency's key and kind, so it implies both; without saying so (``CREATE STATISTICS ...
(dependencies)``) the planner multiplies the three conditions' shares and, at 20 agencies,
expects a few times too few entries per word.
"""

from django.db import migrations, models

NEW, OLD = "blindindex_agency_digest_pid", "blindindex_agency_digest_cov"
STATISTICS = "blindindex_digest_implies"


def _run(apps, schema_editor, build: str, drop: str, forwards: bool) -> None:
    table = schema_editor.quote_name(apps.get_model("keystore", "BlindIndex")._meta.db_table)
    pg = schema_editor.connection.vendor == "postgresql"
    how = " CONCURRENTLY" if pg else ""
    schema_editor.execute(build.format(how=how, table=table))
    schema_editor.execute(f"DROP INDEX{how} IF EXISTS {drop}")
    if not pg:
        return
    target = 1000 if forwards else -1  # -1: the server's default
    schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN digest SET STATISTICS {target}")
    if forwards:
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} (dependencies) "
            f"ON agency_id, kind, digest FROM {table}"
        )
        schema_editor.execute(f"ANALYZE {table}")
    else:
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")


def forwards(apps, schema_editor):
    build = (
        f"CREATE INDEX{{how}} IF NOT EXISTS {NEW} ON {{table}} (agency_id, kind, digest, person_id)"
    )
    _run(apps, schema_editor, build, OLD, forwards=True)


def backwards(apps, schema_editor):
    include = " INCLUDE (person_id)" if schema_editor.connection.vendor == "postgresql" else ""
    build = (
        f"CREATE INDEX{{how}} IF NOT EXISTS {OLD} ON {{table}} (agency_id, kind, digest){include}"
    )
    _run(apps, schema_editor, build, NEW, forwards=False)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("keystore", "0004_blind_index_state_without_include")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="blindindex",
                    index=models.Index(
                        fields=["agency_id", "kind", "digest", "person_id"], name=NEW
                    ),
                ),
                migrations.RemoveIndex(model_name="blindindex", name=OLD),
            ],
            database_operations=[
                migrations.RunPython(forwards, backwards, hints={"model_name": "blindindex"})
            ],
        )
    ]
