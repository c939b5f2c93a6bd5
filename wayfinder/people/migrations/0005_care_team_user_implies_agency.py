"""Tell PostgreSQL that a care-team row's user implies its agency.

A staff member works at one agency (rarely two), so ``user_id = X AND agency_id = Y`` selects
about as many rows as ``user_id = X`` alone. Without saying so the planner multiplies the two
conditions' shares and, in a network of 20 agencies, expects a navigator's caseload to be a
twentieth of its size. For a caseload of thousands it then walks every team row of the caseload
and sorts them, where it should have walked the agency's newest records and stopped at a page:
at 10^6 persons a navigator who leads 25,000 records waited 104 ms for "My caseload" (28 ms with
this) and 300 ms for the dashboard (135 ms). Nothing measured was slower (``docs/benchmarks.md``,
"Eleventh round").

Extended statistics (``CREATE STATISTICS``) are PostgreSQL's; SQLite has none and needs none.
``ANALYZE`` of the one table fills them at once rather than at autovacuum's next pass.
"""

from django.db import migrations

STATISTICS = "care_team_user_implies_agency"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("people", "CareTeamMember")._meta.db_table)
    schema_editor.execute(
        f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} (dependencies, ndistinct, mcv) "
        f"ON user_id, agency_id FROM {table}"
    )
    schema_editor.execute(f"ANALYZE {table}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")


class Migration(migrations.Migration):
    dependencies = [("people", "0004_person_forgotten")]

    operations = [
        migrations.RunPython(forwards, backwards, hints={"model_name": "careteammember"}),
    ]
