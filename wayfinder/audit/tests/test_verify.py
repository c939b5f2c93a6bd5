"""`manage.py audit verify` proves the chain intact and names the first broken event.

An attacker with database rights can drop the append-only trigger; the hash chain still shows
an edited row (its hash no longer matches) and a deleted one (the sequence has a gap).
"""

import importlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from wayfinder.audit.events import record, verify
from wayfinder.audit.models import AuditEvent

SQLITE_TRIGGERS = {"audit_no_update", "audit_no_delete"}
PG_TRIGGERS = {"audit_no_change", "audit_no_truncate"}


def installed_triggers() -> set[str]:
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute(
                "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_auditevent'"
            )
        else:
            cur.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass "
                "AND NOT tgisinternal"
            )
        return {row[0] for row in cur.fetchall()}


def drop_triggers(missing_ok=False):
    """What an attacker with database rights would do first."""
    if_exists = "IF EXISTS " if missing_ok else ""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            for name in sorted(SQLITE_TRIGGERS):
                cur.execute(f"DROP TRIGGER {if_exists}{name}")
        else:
            for name in sorted(PG_TRIGGERS):
                cur.execute(f"DROP TRIGGER {if_exists}{name} ON audit_auditevent")
    assert missing_ok or installed_triggers() == set()


def restore_triggers():
    # The test's transaction is rolled back anyway (DDL is transactional on SQLite and
    # PostgreSQL); putting the triggers back explicitly keeps later tests safe regardless.
    migration = importlib.import_module("wayfinder.audit.migrations.0002_append_only_triggers")
    if connection.vendor == "sqlite":
        wanted, statements = SQLITE_TRIGGERS, migration.SQLITE_UP
    else:
        wanted, statements = PG_TRIGGERS, migration.PG_UP
    if installed_triggers() != wanted:
        drop_triggers(missing_ok=True)
        with connection.cursor() as cur:
            for sql in statements:
                cur.execute(sql)
    assert installed_triggers() == wanted


@pytest.fixture
def trail(db):
    """Ten events on top of whatever the database already holds."""
    for i in range(10):
        record("test.event", category="test", detail={"n": i})
    yield list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    restore_triggers()


def run_verify() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def test_intact_chain_verifies(trail):
    assert f"Audit chain intact: {len(trail)} events verified." in run_verify()


def test_an_edited_row_is_caught(trail):
    drop_triggers()
    target = trail[4]
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE audit_auditevent SET detail = %s WHERE seq = %s", ['{"n": 999}', target]
        )
    with pytest.raises(CommandError) as exc:
        run_verify()
    assert f"BROKEN at event #{target}" in str(exc.value)
    assert "contents do not match the hash" in str(exc.value)
    assert f"({target - 1} events before it verified)" in str(exc.value)


def test_an_edited_row_with_a_recomputed_hash_still_breaks_the_next_link(trail):
    from wayfinder.audit.events import _hash

    drop_triggers()
    target = trail[4]
    row = AuditEvent.objects.filter(seq=target).values().get()
    row["action"] = "nothing.to.see"
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE audit_auditevent SET action = %s, hash = %s WHERE seq = %s",
            [row["action"], _hash(row), target],
        )
    result = verify()
    assert not result.ok
    assert result.broken_seq == target + 1
    assert result.reason == "link to the previous event is broken"


def test_a_deleted_row_is_caught(trail):
    drop_triggers()
    target = trail[6]
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent WHERE seq = %s", [target])
    with pytest.raises(CommandError) as exc:
        run_verify()
    assert f"BROKEN at event #{target}: event #{target} is missing" in str(exc.value)


def test_deleting_the_newest_rows_is_caught(trail):
    drop_triggers()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent WHERE seq >= %s", [trail[-2]])
    result = verify()
    assert not result.ok
    assert result.broken_seq == trail[-2]
    assert "missing" in result.reason
