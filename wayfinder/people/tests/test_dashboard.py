"""The dashboard: casework staff see their caseload (lead first) and counts; analysts and
network admins see numbers only; other apps add panels."""

from datetime import date

import time_machine
from django.apps import apps
from django.urls import reverse

from wayfinder.audit.models import AuditEvent
from wayfinder.people.actions import add_care_team_member
from wayfinder.people.tests.factories import take_in
from wayfinder.people.tests.helpers import assert_no_identifiers

URL = reverse("dashboard")


def test_caseload_shows_name_language_safety_and_time_since(personas, login):
    actor = personas.actor(personas.navigator_a)
    with time_machine.travel(date(2026, 1, 10)):
        other = take_in(
            actor,
            "Thu",
            preferred_languages=["vie"],
            interpreter_needed="yes",
            safety_level="unsafe",
            exploitation_ended_on=date(2024, 12, 1),
        )
    with time_machine.travel(date(2026, 2, 15)):
        text = login(personas.navigator_a).get(URL).content.decode()
    assert "Ana Rivera" in text and personas.survivor.pseudonym in text
    row = text.split(other.pseudonym)[1].split("</tr>")[0]
    assert "Thu" in row
    assert '<span class="language-badge">Vietnamese</span>' in row
    assert "Interpreter needed" in row
    assert '<span class="badge danger">Not safe now</span>' in row
    assert "1\xa0year, 2\xa0months" in row


def test_caseload_lists_lead_persons_first_and_only_own_care_teams(personas, login):
    lead_actor = personas.actor(personas.admin_a)
    led_by_admin = take_in(lead_actor, "Admin Led")
    member_of = take_in(lead_actor, "Team Member")
    add_care_team_member(
        member_of, actor=lead_actor, user=personas.navigator_a, agency=personas.lead
    )
    take_in(lead_actor, "Not Mine")
    text = login(personas.navigator_a).get(URL).content.decode()
    caseload = text.split('id="caseload-heading"')[1]
    assert led_by_admin.pseudonym not in caseload and "Not Mine" not in caseload
    assert caseload.index(personas.survivor.pseudonym) < caseload.index(member_of.pseudonym)
    assert "in my caseload" in text


def test_counts_of_the_agency(personas, login):
    take_in(personas.actor(personas.admin_a), "Someone Else")
    response = login(personas.navigator_a).get(URL)
    assert response.context["counts"] == {"caseload": 1, "agency_total": 2, "new_this_month": 2}


def test_caseload_names_are_audited(personas, login):
    login(personas.navigator_a).get(URL)
    event = AuditEvent.objects.filter(action="person.list").latest("seq")
    assert event.detail == {"shown": [personas.survivor.pseudonym], "view": "caseload"}
    assert "identity" in event.categories


def test_analyst_sees_numbers_only(personas, login):
    response = login(personas.analyst).get(URL)
    assert response.status_code == 200
    assert response.context["rows"] is None
    assert response.context["counts"] == {"agency_total": 1, "new_this_month": 1}
    assert personas.survivor.pseudonym not in response.content.decode()
    assert_no_identifiers(response.content)


def test_network_admin_sees_network_numbers_only(personas, login):
    take_in(personas.actor(personas.outsider_c), "Housing Client")
    response = login(personas.network_admin).get(URL)
    assert response.context["counts"]["network_total"] == 2
    assert personas.survivor.pseudonym not in response.content.decode()
    assert "Housing Client" not in response.content.decode()
    assert_no_identifiers(response.content)


def test_outsider_does_not_see_the_person(personas, login):
    response = login(personas.outsider_c).get(URL)
    assert response.status_code == 200
    assert personas.survivor.pseudonym not in response.content.decode()
    assert_no_identifiers(response.content)


def hello_panel(request):
    return {"template": "people/_safety_badge.html", "context": {"level": "unsafe"}, "order": 5}


def nothing_panel(request):
    return None


def test_panels_of_other_apps_are_included(personas, login, monkeypatch):
    config = apps.get_app_config("plans")
    monkeypatch.setattr(
        config,
        "dashboard_panels",
        [f"{__name__}.hello_panel", f"{__name__}.nothing_panel"],
        raising=False,
    )
    response = login(personas.analyst).get(URL)
    assert hello_panel(None) in response.context["panels"]  # and the None panel is skipped
    assert '<span class="badge danger">Not safe now</span>' in response.content.decode()


def test_admins_see_how_many_forgets_are_not_final_yet(personas, login):
    from wayfinder.people.actions import forget_person

    survivor = personas.survivor
    forget_person(survivor, actor=personas.actor(personas.admin_a), confirmation=survivor.pseudonym)
    for admin in (personas.admin_a, personas.network_admin):
        page = login(admin).get(reverse("dashboard")).content.decode()
        assert "1 forgotten record is not final yet." in page
    page = login(personas.navigator_a).get(reverse("dashboard")).content.decode()
    assert "not final yet" not in page


# --- the caseload as a short worklist (issue 16) -------------------------------------------------


def test_caseload_shows_the_first_rows_the_whole_count_and_a_link_to_all(
    personas, login, monkeypatch
):
    from wayfinder.people import queries

    actor = personas.actor(personas.navigator_a)
    newer = [take_in(actor, f"Person {c}") for c in "ABC"]
    monkeypatch.setattr(queries, "CASELOAD_LIMIT", 2)
    text = login(personas.navigator_a).get(URL).content.decode()
    caseload = text.split('id="caseload-heading"')[1].split("</section>")[0]
    # The two newest of the four the navigator leads, newest first; the count says four.
    assert caseload.count('<th scope="row">') == 2
    assert caseload.index(newer[2].pseudonym) < caseload.index(newer[1].pseudonym)
    assert newer[0].pseudonym not in caseload and personas.survivor.pseudonym not in caseload
    assert '<span class="stat-number">4</span> <span class="stat-label">in my caseload' in text
    assert (
        '<p class="caseload-more">Showing the first 2 of 4. '
        '<a href="/people/?mine=1">See my whole caseload</a></p>'
    ) in caseload
    event = AuditEvent.objects.filter(action="person.list").latest("seq")
    assert event.detail == {"shown": [newer[2].pseudonym, newer[1].pseudonym], "view": "caseload"}


def test_a_short_caseload_shows_every_row_and_the_link(personas, login):
    text = login(personas.navigator_a).get(URL).content.decode()
    caseload = text.split('id="caseload-heading"')[1].split("</section>")[0]
    assert "Showing the first" not in caseload
    assert '<a href="/people/?mine=1">See my whole caseload</a>' in caseload


def test_counts_past_the_cap_say_more_than(personas, login, monkeypatch):
    from wayfinder.people import queries, views

    actor = personas.actor(personas.navigator_a)
    for c in "ABC":
        take_in(actor, f"Person {c}")
    monkeypatch.setattr(queries, "COUNT_CAP", 2)
    monkeypatch.setattr(views, "COUNT_CAP", 2)
    response = login(personas.navigator_a).get(URL)
    # Counted up to the cap and one more, never further.
    assert response.context["counts"] == {"caseload": 3, "agency_total": 3, "new_this_month": 3}
    text = response.content.decode()
    assert text.count('<span class="stat-number">More than 2</span>') == 3
    assert "Showing the first" not in text  # all four fit in the 25 rows shown


def test_network_total_is_capped_too(personas, login, monkeypatch):
    from wayfinder.people import queries, views

    take_in(personas.actor(personas.outsider_c), "Housing Client")
    monkeypatch.setattr(queries, "COUNT_CAP", 1)
    monkeypatch.setattr(views, "COUNT_CAP", 1)
    text = login(personas.network_admin).get(URL).content.decode()
    assert (
        '<span class="stat-number">More than 1</span> <span class="stat-label">open records in the network'
        in text
    )
