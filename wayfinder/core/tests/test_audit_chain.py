"""Events chain by hash; verify() passes on an untouched trail."""

import itertools

from wayfinder.audit.events import GENESIS, verify
from wayfinder.audit.models import AuditEvent


def test_every_write_is_chained_and_verifies(personas):
    events = list(AuditEvent.objects.order_by("seq"))
    assert events[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert verify().ok


def test_person_create_audit_holds_no_personal_data(personas):
    event = AuditEvent.objects.get(action="person.create")
    text = repr(event.__dict__)
    assert event.person_pseudonym == personas.survivor.pseudonym
    assert "Ana" not in text and "Rivera" not in text and "1996-04-12" not in text
