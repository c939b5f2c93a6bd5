"""record() stores exactly what verify() will hash, whatever the database does to the values."""

import uuid

import pytest

from wayfinder.audit.events import record, verify
from wayfinder.audit.models import AuditEvent


@pytest.mark.parametrize(
    "ip", ["192.0.2.10", "2001:0db8:0000:0000:0000:0000:0000:0001", "::FFFF:192.0.2.1", None]
)
def test_addresses_in_any_spelling_still_verify(db, ip):
    record("test.event", category="test", ip=ip)
    assert verify().ok


def test_agency_id_as_text_or_uuid_verifies(db):
    agency = uuid.uuid4()
    record("test.event", category="test", agency_id=agency)
    record("test.event", category="test", agency_id=str(agency))
    assert verify().ok


def test_detail_with_non_json_values_verifies(db):
    import datetime

    record(
        "test.event", category="test", detail={"id": uuid.uuid4(), "on": datetime.date(2026, 1, 2)}
    )
    event = AuditEvent.objects.order_by("-seq").first()
    assert isinstance(event.detail["id"], str)
    assert verify().ok


def test_a_failed_append_fails_the_callers_transaction(db):
    """No savepoint of its own: an action cannot catch the error and commit without its event."""
    import contextlib

    from django.db import DatabaseError, IntegrityError, transaction

    from wayfinder.audit.models import AuditHead

    first = record("test.event", category="test")
    # A row already where the next event goes: the append's insert fails.
    AuditEvent.objects.create(
        seq=first.seq + 1, at=first.at, action="x", category="x", prev_hash="", hash=""
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        with contextlib.suppress(IntegrityError):  # an action that swallows the error
            record("test.event", category="test")
        AuditHead.objects.count()  # the transaction is broken: nothing more runs in it
    assert AuditHead.objects.get(id=1).seq == first.seq


def test_the_returned_event_is_the_stored_one(db):
    event = record("test.event", category="test", detail={"n": 1}, ip="::FFFF:192.0.2.1")
    stored = AuditEvent.objects.get(seq=event.seq)
    fields = [f.attname for f in AuditEvent._meta.concrete_fields]
    assert {f: getattr(event, f) for f in fields} == {f: getattr(stored, f) for f in fields}
    assert not event._state.adding and event._state.db == "default"


def test_record_many_appends_what_as_many_records_would_in_one_write(db):
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wayfinder.audit.events import record_many

    agency = uuid.uuid4()
    events = [
        {"action": "test.one", "category": "test", "ip": "2001:0db8::0001", "agency_id": agency},
        {
            "action": "test.two",
            "category": "test",
            "categories": ["b", "a", "b"],
            "detail": {"id": agency, "on": datetime.date(2026, 1, 2)},
            "object_type": "x.y",
            "object_id": "7",
        },
        {"action": "test.three", "category": "test", "agency_id": str(agency), "via": "api"},
    ]
    record("test.before", category="test")
    for kwargs in events:
        record(**kwargs)
    fields = ["action", "category", "agency_id", "object_type", "object_id", "categories"]
    singly = list(AuditEvent.objects.filter(seq__gt=1).values(*fields, "detail", "ip", "via"))
    assert record_many([]) == []
    with CaptureQueriesContext(connection) as queries:
        appended = record_many(events)
    assert [e.seq for e in appended] == [5, 6, 7]
    together = list(AuditEvent.objects.filter(seq__gt=4).values(*fields, "detail", "ip", "via"))
    assert together == singly
    with CaptureQueriesContext(connection) as more:
        record_many(events * 3)
    assert len(more) == len(queries)  # one lock, one insert, one move of the head
    assert verify().ok


def test_record_many_writes_past_one_insert_chunk_and_still_verifies(db, monkeypatch):
    from wayfinder.audit import events as audit_events
    from wayfinder.audit.events import record_many

    monkeypatch.setattr(audit_events, "CHUNK", 3)
    record("test.before", category="test")
    appended = record_many([{"action": f"test.{n}", "category": "test"} for n in range(8)])
    assert [e.seq for e in appended] == list(range(2, 10))
    assert list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))[1:] == [
        f"test.{n}" for n in range(8)
    ]
    assert verify().ok
    assert record("test.after", category="test").seq == 10 and verify().ok
