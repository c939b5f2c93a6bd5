"""API writes: the same actions as the pages, coded 4xx errors, only the chair writes."""

import uuid

import pytest

from wayfinder.audit.models import AuditEvent
from wayfinder.conferences.models import AgendaItem, Meeting, MeetingStatus, Series

pytestmark = pytest.mark.django_db

BASE = "/api/v1/conferences"
SERIES = {
    "name": "Task force",
    "type": "task_force",
    "rrule": "FREQ=WEEKLY;BYDAY=FR",
    "starts_at": "2030-03-01T09:00:00Z",
    "place": "Room 1",
}


def test_create_a_series_and_schedule_its_meeting(api_as, personas):
    client = api_as(personas.navigator_a)
    r = client.post(f"{BASE}/series/", {**SERIES, "attendee_ids": [personas.lawyer_b.pk]})
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["chair_agency_id"] == str(personas.lead.pk)
    assert body["attendee_ids"] == sorted([personas.navigator_a.pk, personas.lawyer_b.pk])
    r = client.post(f"{BASE}/series/{body['id']}/meetings/")
    assert r.status_code == 201
    assert r.json()["starts_at"].startswith("2030-03-01T09:00")
    assert AuditEvent.objects.filter(action="conference.series_create").exists()


@pytest.mark.parametrize(
    "change",
    [
        {"rrule": "EVERY FRIDAY"},
        {"rrule": "FREQ=SECONDLY"},
        {"place": ""},
        {"video_link": "javascript:alert(1)"},
        {"starts_at": "1999-12-31T10:00:00Z"},
        {"starts_at": "2030-02-30T10:00:00Z"},
    ],
)
def test_series_bodies_outside_the_schema_are_coded_422(api_as, personas, change):
    r = api_as(personas.navigator_a).post(f"{BASE}/series/", {**SERIES, **change})
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_input"
    assert not Series.objects.exists()


def test_an_unknown_attendee_is_a_404(api_as, personas):
    r = api_as(personas.navigator_a).post(f"{BASE}/series/", {**SERIES, "attendee_ids": [999999]})
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert not Series.objects.exists()


def test_the_schema_says_what_the_action_takes(api_as, personas):
    """Every rule the pattern admits gives a meeting, from the first to the last start."""
    import re

    from wayfinder.conferences.api import RRULE_PATTERN, START_PATTERN

    client = api_as(personas.navigator_a)
    for rrule, start in [
        ("FREQ=MONTHLY;INTERVAL=12;BYDAY=-1MO", "2099-12-31T23:59:59-13:59"),
        ("FREQ=WEEKLY;INTERVAL=12;BYDAY=SU,MO", "2000-01-01T00:00:00+13:59"),
        ("FREQ=YEARLY;INTERVAL=12", "2050-02-28T08:00:00"),
    ]:
        assert re.match(RRULE_PATTERN, rrule) and re.match(START_PATTERN, start)
        r = client.post(f"{BASE}/series/", {**SERIES, "rrule": rrule, "starts_at": start})
        assert r.status_code == 201, r.json()


def test_a_place_and_a_video_link(api_as, personas):
    r = api_as(personas.navigator_a).post(
        f"{BASE}/series/",
        {**SERIES, "place": "Online", "video_link": "https://meet.example.org/a?b=1"},
    )
    assert r.status_code == 201 and r.json()["video_link"] == "https://meet.example.org/a?b=1"


def test_unknown_fields_are_refused(api_as, personas):
    r = api_as(personas.navigator_a).post(f"{BASE}/series/", {**SERIES, "chair": "x"})
    assert r.status_code == 422 and r.json()["code"] == "invalid_input"


def test_the_whole_meeting_through_the_api(api_as, personas, meeting):
    client = api_as(personas.navigator_a)
    r = client.post(
        f"{BASE}/meetings/{meeting.pk}/items/",
        {"person_id": str(personas.survivor.pk), "presenter_id": personas.navigator_a.pk},
    )
    assert r.status_code == 201, r.json()
    item_id = r.json()["id"]
    assert r.json()["pseudonym"] == personas.survivor.pseudonym
    r = client.post(f"{BASE}/items/{item_id}/minutes/", {"text": "Agreed", "visibility": "owner"})
    assert r.status_code == 200
    r = client.post(
        f"{BASE}/items/{item_id}/actions/",
        {
            "text": "Call the shelter",
            "due_on": "2030-01-05",
            "owner_agency_id": str(personas.housing.pk),
        },
    )
    assert r.status_code == 201 and r.json()["text"] == "Call the shelter"
    r = client.post(f"{BASE}/meetings/{meeting.pk}/close/")
    assert r.status_code == 409 and r.json()["code"] == "outcomes_missing"
    r = client.post(f"{BASE}/items/{item_id}/outcome/", {"outcome": "discussed"})
    assert r.status_code == 200 and r.json()["outcome"] == "discussed"
    r = client.post(f"{BASE}/meetings/{meeting.pk}/close/")
    assert r.status_code == 200 and r.json()["status"] == "closed"
    r = client.post(f"{BASE}/items/{item_id}/outcome/", {"outcome": "deferred"})
    assert r.status_code == 409 and r.json()["code"] == "meeting_closed"


def test_coded_errors_of_item_writes(api_as, personas, item):
    client = api_as(personas.navigator_a)
    r = client.post(f"{BASE}/items/{item.pk}/actions/", {"text": "x", "due_on": "2030-01-05"})
    assert r.status_code == 422 and r.json()["code"] == "invalid_input"  # the schema says so
    r = client.post(
        f"{BASE}/items/{item.pk}/actions/",
        {
            "text": "x",
            "due_on": "2030-01-05",
            "owner_agency_id": str(personas.housing.pk),
            "goal_id": str(uuid.uuid4()),
        },
    )
    assert r.status_code == 404 and r.json()["code"] == "not_found"  # not this person's goal
    r = client.post(f"{BASE}/items/{item.pk}/outcome/", {"outcome": "maybe"})
    assert r.status_code == 422 and r.json()["code"] == "invalid_input"
    r = client.post(f"{BASE}/items/{item.pk}/minutes/", {"text": "   "})
    assert r.status_code == 422
    r = client.post(
        f"{BASE}/meetings/{item.meeting_id}/items/",
        {"person_id": str(uuid.uuid4())},
    )
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_a_non_chair_attendee_cannot_write(api_as, personas, item, meeting):
    client = api_as(personas.lawyer_b)  # attends, does not chair
    for path, body in [
        (f"/series/{meeting.series_id}/meetings/", None),
        (f"/meetings/{meeting.pk}/items/", {"person_id": str(personas.survivor.pk)}),
        (f"/items/{item.pk}/minutes/", {"text": "Mine"}),
        (
            f"/items/{item.pk}/actions/",
            {"text": "x", "due_on": "2030-01-05", "owner_user_id": personas.lawyer_b.pk},
        ),
        (f"/items/{item.pk}/outcome/", {"outcome": "discussed"}),
        (f"/meetings/{meeting.pk}/close/", None),
    ]:
        r = client.post(BASE + path, body)
        assert r.status_code == 404 and r.json()["code"] == "not_found", path
    item.refresh_from_db()
    assert item.outcome == "" and item.minutes_ct is None and not item.actions.exists()
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.OPEN
    assert Meeting.objects.count() == 1 and AgendaItem.objects.count() == 1


def test_a_person_of_another_caseload_cannot_be_added(api_as, personas, meeting):
    from wayfinder.accounts.actor import actor_for
    from wayfinder.accounts.models import Role
    from wayfinder.core.testing import staff
    from wayfinder.people.actions import create_person
    from wayfinder.people.models import Identity

    legal_nav = staff(personas.legal, "nav.legal@example.org", Role.NAVIGATOR)
    foreign = create_person(
        actor=actor_for(legal_nav, personas.legal, ip="127.0.0.1"),
        identity=Identity(chosen_name="Zed"),
        birth_year=1990,
    )
    r = api_as(personas.navigator_a).post(
        f"{BASE}/meetings/{meeting.pk}/items/", {"person_id": str(foreign.pk)}
    )
    assert r.status_code == 404 and not AgendaItem.objects.exists()
