"""The meeting pages, the item page cut by consent, the .ics and the printed agenda."""

import re
from datetime import date

import pytest

from wayfinder.conferences import actions
from wayfinder.conferences.models import MeetingStatus
from wayfinder.consent.actions import revoke_consent
from wayfinder.core.testing import fold, survivor_name_tokens

pytestmark = pytest.mark.django_db


def names_in(text: str) -> list[str]:
    folded = fold(text)
    return sorted(t for t in survivor_name_tokens() if re.search(rf"\b{re.escape(t)}\b", folded))


def test_meetings_are_in_the_nav_and_listed(web, personas, meeting):
    r = web(personas.lawyer_b).get("/conferences/")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'href="/conferences/"' in html
    assert f"/conferences/m/{meeting.pk}/" in html


def test_the_title_is_the_pages_name_and_the_sections_are_on_the_page(web, personas, item):
    """The chair's series and the agency's people on coming agendas were written inside the
    <title> (the browser tab showed markup and a CSRF token, the page never the people)."""
    from wayfinder.accounts.models import Role
    from wayfinder.core.testing import staff

    colleague = staff(personas.lead, "nav2@example.org", Role.NAVIGATOR, "Nora Nav")
    html = web(colleague).get("/conferences/").content.decode()
    title = html.split("<title>")[1].split("</title>")[0]
    assert "<" not in title and title.startswith("Meetings · ")
    main = html.split("<main")[1].split("</main>")[0]
    assert "people on coming agendas" in main
    assert f"/conferences/i/{item.pk}/voice/" in main
    chair = web(personas.navigator_a).get("/conferences/").content.decode()
    assert "Series your agency chairs" in chair.split("<main")[1]
    assert "Series your agency chairs" not in chair.split("<title>")[1].split("</title>")[0]


def test_past_meetings_newest_first_a_page_at_a_time(web, personas, nav):
    from datetime import UTC, datetime

    series = actions.create_series(
        actor=nav,
        name="Monday review",
        type="case_review",
        rrule="FREQ=WEEKLY;BYDAY=MO",
        starts_at=datetime(2025, 1, 6, 15, 0, tzinfo=UTC),
        place="Room 2",
    )
    held = [actions.schedule_next_meeting(series, actor=nav) for _ in range(25)]
    client = web(personas.navigator_a)

    def listed(page):
        html = client.get("/conferences/", {"page": page}).content.decode()
        past = html.split('<h2 id="past">')[1].split("</nav>")[0]
        return re.findall(r"/conferences/m/([0-9a-f-]+)/", past), past

    newest_first = [str(m.pk) for m in reversed(held)]
    first, nav1 = listed(1)
    assert first == newest_first[:10]
    assert "Page 1 of 3" in nav1 and "?page=2#past" in nav1 and "Newer" not in nav1
    third, nav3 = listed(3)
    assert third == newest_first[20:] and "Older" not in nav3
    assert listed("x")[0] == first and listed(99)[0] == third  # a bad page: the first or last
    spanish = client.get("/conferences/", {"page": 2}, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Más recientes" in spanish and "Más antiguas" in spanish and "Página 2 de 3" in spanish


def test_consented_attendee_sees_name_and_exactly_the_categories(web, personas, item, conf_consent):
    conf_consent(("identity", "plan"))
    html = web(personas.lawyer_b).get(f"/conferences/i/{item.pk}/").content.decode()
    assert "Ana Rivera" in html
    assert sorted(re.findall(r'data-category="(\w+)"', html)) == ["identity", "plan"]
    assert "Restricted" not in html
    assert "2 plan steps are overdue" in html


def test_unconsented_attendee_sees_restricted_and_the_pseudonym_only(
    web, personas, item, conf_consent
):
    conf_consent(("identity", "plan"))  # legal aid only
    client = web(personas.outsider_c)
    html = client.get(f"/conferences/i/{item.pk}/").content.decode()
    assert "Restricted" in html and personas.survivor.pseudonym in html
    assert names_in(html) == []
    assert "data-category" not in html and "overdue" not in html
    agenda = client.get(f"/conferences/m/{item.meeting_id}/").content.decode()
    assert "Restricted" in agenda and names_in(agenda) == []


def test_restricted_in_spanish(web, personas, item):
    client = web(personas.outsider_c)
    html = client.get(
        f"/conferences/i/{item.pk}/", headers={"accept-language": "es"}
    ).content.decode()
    assert "Restringido" in html


def test_excluded_category_hidden_on_the_page(web, personas, item, nav, conf_consent):
    conf_consent(("identity", "plan"))
    actions.set_exclusions(item, actor=nav, categories=["plan"])
    html = web(personas.lawyer_b).get(f"/conferences/i/{item.pk}/").content.decode()
    assert re.findall(r'data-category="(\w+)"', html) == ["identity"]
    assert "overdue" not in html
    owner = web(personas.navigator_a).get(f"/conferences/i/{item.pk}/").content.decode()
    assert 'data-category="plan"' not in owner


def test_revocation_restricts_the_open_meeting_page_on_the_next_request(
    web, personas, item, nav, conf_consent
):
    c = conf_consent(("identity",))
    client = web(personas.lawyer_b)
    assert "Restricted" not in client.get(f"/conferences/m/{item.meeting_id}/").content.decode()
    revoke_consent(c, actor=nav, channel="in_person")
    assert "Restricted" in client.get(f"/conferences/m/{item.meeting_id}/").content.decode()
    assert "Ana Rivera" not in client.get(f"/conferences/i/{item.pk}/").content.decode()


def test_non_attendee_gets_404(web, personas, item):
    from wayfinder.accounts.models import Role
    from wayfinder.core.testing import staff

    stranger = staff(personas.legal, "s@example.org", Role.PROVIDER)
    c = web(stranger)
    assert c.get(f"/conferences/i/{item.pk}/").status_code == 404
    assert c.get(f"/conferences/m/{item.meeting_id}/invite.ics").status_code == 404


def test_ics_and_print_carry_no_name(web, personas, item, nav, conf_consent):
    conf_consent(("identity", "plan"))
    actions.record_minutes(item, actor=nav, text="Ana Rivera needs housing")
    for user in (personas.navigator_a, personas.lawyer_b, personas.outsider_c):
        client = web(user)
        ics = client.get(f"/conferences/m/{item.meeting_id}/invite.ics")
        assert ics["Content-Type"].startswith("text/calendar")
        body = ics.content.decode()
        assert "BEGIN:VEVENT" in body and "DTSTART:20300101T150000Z" in body
        assert names_in(body) == []
        assert personas.survivor.pseudonym not in body
        printed = client.get(f"/conferences/m/{item.meeting_id}/print/").content.decode()
        assert personas.survivor.pseudonym in printed
        assert names_in(printed) == []


def test_chair_records_minutes_action_outcome_and_closes(web, personas, item, meeting):
    client = web(personas.navigator_a)
    base = f"/conferences/i/{item.pk}/"
    r = client.post(base + "minutes/", {"text": "Agreed housing first", "visibility": "owner"})
    assert r.status_code == 302
    r = client.post(
        base + "actions/",
        {
            "a-text": "Call the shelter",
            "a-due_on": "2030-01-05",
            "a-owner_agency": personas.housing.pk,
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    r = client.post(f"/conferences/m/{meeting.pk}/close/")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.OPEN  # no outcome yet
    client.post(base + "outcome/", {"outcome": "discussed"})
    client.post(f"/conferences/m/{meeting.pk}/close/")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CLOSED
    html = client.get(base).content.decode()
    assert "Agreed housing first" in html and "Call the shelter" in html
    assert item.actions.get().due_on == date(2030, 1, 5)


def test_an_action_without_owner_is_a_400(web, personas, item):
    r = web(personas.navigator_a).post(
        f"/conferences/i/{item.pk}/actions/", {"a-text": "x", "a-due_on": "2030-01-05"}
    )
    assert r.status_code == 400
    assert "Say who will do it." in r.content.decode()


def test_an_attendee_not_chairing_cannot_write(web, personas, item):
    r = web(personas.lawyer_b).post(f"/conferences/i/{item.pk}/outcome/", {"outcome": "discussed"})
    assert r.status_code == 404  # refused is a 404 here, as everywhere
    item.refresh_from_db()
    assert item.outcome == ""


def test_minutes_for_the_owner_only_are_hidden_from_a_consented_partner(
    web, personas, item, nav, conf_consent
):
    conf_consent(("identity", "notes"))
    actions.record_minutes(item, actor=nav, text="Private words", visibility="owner")
    assert (
        "Private words"
        not in web(personas.lawyer_b).get(f"/conferences/i/{item.pk}/").content.decode()
    )
    actions.record_minutes(item, actor=nav, text="Shared words", visibility="consented")
    assert (
        "Shared words" in web(personas.lawyer_b).get(f"/conferences/i/{item.pk}/").content.decode()
    )


def test_the_dashboard_shows_the_next_meeting(web, personas, meeting):
    html = web(personas.lawyer_b).get("/").content.decode()
    assert "Next meeting" in html and f"/conferences/m/{meeting.pk}/" in html
    es = web(personas.lawyer_b).get("/", headers={"accept-language": "es"}).content.decode()
    assert "Próxima reunión" in es
