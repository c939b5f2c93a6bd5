"""The API cuts agenda items by the same consent rules as the pages."""

import uuid

import pytest

from wayfinder.audit.models import AuditEvent
from wayfinder.consent.actions import revoke_consent

pytestmark = pytest.mark.django_db


def test_consented_attendee_gets_exactly_the_consented_categories(
    api_as, personas, item, conf_consent
):
    c = conf_consent(("identity", "plan"))
    r = api_as(personas.lawyer_b).get(f"/api/v1/conferences/items/{item.pk}/")
    assert r.status_code == 200
    body = r.json()
    assert body["restricted"] is False
    assert body["categories"] == ["identity", "plan"]
    assert body["name"] == "Ana Rivera"
    assert body["reasons"] == ["2 plan steps are overdue"]
    event = AuditEvent.objects.filter(action="conference.item_open").latest("seq")
    assert event.detail["consents"] == [str(c.pk)]


def test_unconsented_attendee_gets_the_pseudonym_and_nothing_else(
    api_as, personas, item, conf_consent
):
    conf_consent(("identity", "plan"))
    client = api_as(personas.outsider_c)
    body = client.get(f"/api/v1/conferences/items/{item.pk}/").json()
    assert body == {
        "id": str(item.pk),
        "meeting_id": str(item.meeting_id),
        "pseudonym": personas.survivor.pseudonym,
        "restricted": True,
        "categories": [],
        "name": None,
        "reasons": [],
        "minutes": None,
        "actions": [],
        "outcome": "",
        "voice": None,
    }
    agenda = client.get(f"/api/v1/conferences/meetings/{item.meeting_id}/agenda/").json()
    assert agenda == [
        {
            "id": str(item.pk),
            "pseudonym": personas.survivor.pseudonym,
            "restricted": True,
            "outcome": "",
        }
    ]


def test_revocation_restricts_the_next_request(api_as, personas, item, nav, conf_consent):
    c = conf_consent(("identity",))
    client = api_as(personas.lawyer_b)
    assert client.get(f"/api/v1/conferences/items/{item.pk}/").json()["restricted"] is False
    revoke_consent(c, actor=nav, channel="in_person")
    assert client.get(f"/api/v1/conferences/items/{item.pk}/").json()["restricted"] is True


def test_meetings_list_and_unknowns_are_coded_404(api_as, personas, meeting):
    client = api_as(personas.lawyer_b)
    listed = client.get("/api/v1/conferences/meetings/").json()
    assert [m["id"] for m in listed] == [str(meeting.pk)]
    r = client.get(f"/api/v1/conferences/items/{uuid.uuid4()}/")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = client.get("/api/v1/conferences/meetings/not-a-uuid/")
    assert r.status_code in (404, 422)
