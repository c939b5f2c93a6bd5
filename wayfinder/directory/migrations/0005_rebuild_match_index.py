"""Data: rebuild every row of the match index so the columns added in 0004 are filled.

Kept apart from 0004's schema change (schema and data moves live in separate migrations). A
database that applied 0004 before the split rebuilt the index then; running it again is harmless.
"""

from django.db import migrations


def rebuild_index(apps, schema_editor):
    """Fill the new columns: rebuild every row of the match index."""
    from wayfinder.directory.index import reindex_all

    reindex_all(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_match_index_carries_facts"),
    ]

    operations = [
        migrations.RunPython(rebuild_index, migrations.RunPython.noop),
    ]
