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
