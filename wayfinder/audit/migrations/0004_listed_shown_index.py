"""Find the list views that showed a person, by an index, on PostgreSQL.

A ``person.list`` event names the record codes its page showed (``detail["shown"]``). A person's
access history looked for their code in every such event's text: a read of the whole audit
trail, 7 s at 3 million events, on every history page. This partial GIN index holds the codes of
``person.list`` events only (``jsonb_path_ops``: it answers ``@>``, containment), so the history
finds them in well under a millisecond (``people.queries.listed_in``).

Built ``CONCURRENTLY`` (hence ``atomic = False``): on a large trail a plain build would hold back
every audited read and write until it finished. SQLite, a single agency's embedded database, has
no such index: there the history reads the list events' text as before.
"""

from django.db import migrations

INDEX = "audit_listed_shown"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON audit_auditevent "
        "USING gin ((detail -> 'shown') jsonb_path_ops) WHERE action = 'person.list'"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("audit", "0003_auditcheckpoint")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
