"""The chair's pages: a series, the next meeting, a guest, an item by hand (never a 500)."""

import pytest

from wayfinder.conferences.models import AgendaItem, Meeting, Series

pytestmark = pytest.mark.django_db

SERIES = {
    "name": "Clinical review",
    "type": "clinical_review",
    "rrule": "FREQ=MONTHLY;BYDAY=1MO",
    "starts_at": "2030-02-04T10:00",
    "duration_minutes": "90",
    "place": "",
    "video_link": "https://meet.example.org/clinical",
}


def test_the_meetings_page_links_the_new_series_page(web, personas):
    html = web(personas.navigator_a).get("/conferences/").content.decode()
    assert 'href="/conferences/series/new/"' in html
    assert (
        'href="/conferences/series/new/"'
        not in web(personas.analyst).get("/conferences/").content.decode()
    )


def test_create_a_series_from_the_page(web, personas):
    client = web(personas.navigator_a)
    page = client.get("/conferences/series/new/").content.decode()
    assert "Justice Bridge Legal Aid" in page and "Lee Lawyer" in page  # grouped by agency
    r = client.post("/conferences/series/new/", {**SERIES, "attendees": [personas.lawyer_b.pk]})
    assert r.status_code == 302
    series = Series.objects.get(name="Clinical review")
    assert series.chair_agency == personas.lead
    assert set(series.standing_attendees.all()) == {personas.navigator_a, personas.lawyer_b}
    meeting = series.meetings.get()
    assert r["Location"] == f"/conferences/m/{meeting.pk}/"
    assert meeting.starts_at.day == 4 and meeting.starts_at.month == 2  # the first Monday
    assert series.video_link == "https://meet.example.org/clinical"


def test_an_invalid_rrule_is_a_form_error_not_a_500(web, personas):
    r = web(personas.navigator_a).post(
        "/conferences/series/new/",
        {**SERIES, "rrule": "EVERY TUESDAY", "attendees": [personas.lawyer_b.pk]},
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert f'value="{personas.lawyer_b.pk}" checked' in html  # the choice is kept
    assert "<legend>Justice Bridge Legal Aid</legend>" in html  # grouped by agency
    assert "Give the schedule as an RFC 5545 rule" in html
    assert 'id="id_rrule_error"' in html or "errorlist" in html
    assert not Series.objects.exists()


@pytest.mark.parametrize(
    "rrule", ["FREQ=SECONDLY", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "FREQ=WEEKLY;UNTIL=2020"]
)
def test_rules_that_never_give_a_meeting_are_refused(web, personas, rrule):
    r = web(personas.navigator_a).post("/conferences/series/new/", {**SERIES, "rrule": rrule})
    assert r.status_code == 400 and "RFC 5545" in r.content.decode()


def test_no_place_and_no_link_is_a_form_error(web, personas):
    r = web(personas.navigator_a).post("/conferences/series/new/", {**SERIES, "video_link": ""})
    assert r.status_code == 400 and "Give a place or a video link." in r.content.decode()


def test_a_provider_cannot_open_the_new_series_page(web, personas):
    assert web(personas.analyst).get("/conferences/series/new/").status_code == 404


def test_schedule_the_next_meeting_from_the_meetings_page(web, personas, meeting):
    client = web(personas.navigator_a)
    html = client.get("/conferences/").content.decode()
    url = f"/conferences/series/{meeting.series_id}/next/"
    assert url in html
    r = client.post(url)
    nxt = Meeting.objects.exclude(pk=meeting.pk).get()
    assert r.status_code == 302 and r["Location"] == f"/conferences/m/{nxt.pk}/"
    assert nxt.starts_at > meeting.starts_at
    assert web(personas.lawyer_b).post(url).status_code == 404  # not the chair


def test_add_a_guest_from_the_network(web, personas, meeting):
    client = web(personas.navigator_a)
    assert (
        f"/conferences/m/{meeting.pk}/guests/"
        in client.get(f"/conferences/m/{meeting.pk}/").content.decode()
    )
    page = client.get(f"/conferences/m/{meeting.pk}/guests/").content.decode()
    assert "Ann Analyst" in page and "Lee Lawyer" not in page  # attendees are not offered
    r = client.post(f"/conferences/m/{meeting.pk}/guests/", {"user": personas.analyst.pk})
    assert r.status_code == 302
    assert list(meeting.guests.all()) == [personas.analyst]
    r = client.post(f"/conferences/m/{meeting.pk}/guests/", {"user": "999999"})
    assert r.status_code == 400
    assert web(personas.lawyer_b).get(f"/conferences/m/{meeting.pk}/guests/").status_code == 404


def test_add_an_item_by_hand_by_record_code(web, personas, meeting):
    client = web(personas.navigator_a)
    assert (
        f"/conferences/m/{meeting.pk}/items/"
        in client.get(f"/conferences/m/{meeting.pk}/").content.decode()
    )
    r = client.post(
        f"/conferences/m/{meeting.pk}/items/",
        {"record_code": personas.survivor.pseudonym.lower(), "presenter": personas.lawyer_b.pk},
    )
    item = AgendaItem.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/conferences/i/{item.pk}/"
    assert item.person == personas.survivor and item.presenter == personas.lawyer_b
    again = client.post(
        f"/conferences/m/{meeting.pk}/items/", {"record_code": personas.survivor.pseudonym}
    )
    assert again.status_code == 400 and "already on the agenda" in again.content.decode()


def test_an_unknown_or_foreign_record_code_is_a_form_error(web, personas, meeting):
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
    code = foreign.pseudonym  # real, but on another agency's caseload
    client = web(personas.navigator_a)
    for value in (code, "WF-0000-00"):
        r = client.post(f"/conferences/m/{meeting.pk}/items/", {"record_code": value})
        assert r.status_code == 400
        assert "No one on your agency&#x27;s caseload has this record code." in r.content.decode()
    assert not AgendaItem.objects.exists()
