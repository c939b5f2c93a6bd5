"""The database itself refuses UPDATE and DELETE on the audit table (and TRUNCATE on PostgreSQL)."""

import pytest
from django.db import DatabaseError, connection, transaction

from wayfinder.audit.events import record, verify
from wayfinder.audit.models import AuditEvent


@pytest.fixture
def event(db):
    return record("test.event", category="test", detail={"n": 1})


def test_update_is_refused(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(seq=event.seq).update(action="changed")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute("UPDATE audit_auditevent SET action = 'x'")
    assert AuditEvent.objects.get(seq=event.seq).action == "test.event"


def test_delete_is_refused(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(seq=event.seq).delete()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(seq=event.seq).exists()
    assert verify().ok


def test_truncate_is_refused_on_postgresql(event, postgres_only):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.filter(seq=event.seq).exists()


def test_inserting_still_works(event):
    record("test.event", category="test")
    assert AuditEvent.objects.count() >= 2
    assert verify().ok
