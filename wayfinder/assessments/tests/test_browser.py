"""In a browser: a navigator assesses in Spanish, hands the device over, takes it back with the
password, finishes, and sees the new needs and the trajectory chart (axe on every page)."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import assert_accessible
from wayfinder.assessments import testing
from wayfinder.assessments.models import Answer, Session
from wayfinder.core.testing import PASSWORD, make_personas


@pytest.fixture
def seeded(transactional_db, mfa_off):
    call_command("createcachetable", verbosity=0)  # login throttling uses the database cache
    personas = make_personas()
    nav = personas.actor(personas.navigator_a)
    # A resilience scale four months ago, so the trajectory has a first point to compare with.
    testing.run_session(
        personas.survivor,
        nav,
        "brief_resilience_scale",
        {"brs_1": 2, "brs_2": 4, "brs_3": 2, "brs_4": 4, "brs_5": 2, "brs_6": 4},
        on=timezone.localdate() - timedelta(days=120),
    )
    return personas


def test_hand_over_assessment_in_spanish_then_needs_and_trajectory(page, seeded):
    personas = seeded
    person = personas.survivor

    page.goto("/accounts/login/")
    page.fill("input[name=login]", personas.navigator_a.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(re.compile(r"/$"))

    # Start a needs assessment in Spanish.
    page.goto(f"/assessments/person/{person.pk}/")
    assert_accessible(page)
    page.locator("#start-assessment").click()
    assert_accessible(page)
    page.select_option("#id_instrument", "needs_assessment")
    page.select_option("#id_language", "es")
    page.get_by_label("In person").check()
    page.locator("#start-submit").click()
    page.wait_for_url(re.compile(r"/section/1/$"))
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", name="Evaluación de necesidades").is_visible()
    assert_accessible(page)

    # Hand the device over: staff navigation disappears, quick exit stays.
    page.locator("#hand-over").click()
    page.wait_for_url(re.compile(r"/section/1/$"))
    assert page.locator("nav.main-nav").count() == 0
    assert page.locator("#quick-exit").is_visible()
    assert person.pseudonym not in page.content()
    assert_accessible(page)

    # The person answers two sections and declines one question.
    page.get_by_label("Trabajo forzado o explotado").check()
    page.get_by_label("Hace menos de 3 meses").check()
    page.locator("#q-daily_impact-declined").check()
    page.get_by_role("button", name="Guardar y continuar").click()
    page.wait_for_url(re.compile(r"/section/2/$"))
    assert "Sección 2 de 13" in page.content()
    page.locator("#q-safe_now").get_by_label("No", exact=True).check()
    page.locator("#q-contact_from_exploiter").get_by_label("Sí").check()
    page.locator("#q-safety_plan_help").get_by_label("Sí").check()
    page.get_by_role("button", name="Guardar y continuar").click()
    # Not safe now: the crisis screen comes first (test_browser_safety.py covers it in full).
    page.wait_for_url(re.compile(r"/crisis/$"))
    page.locator("#crisis-continue").click()
    page.wait_for_url(re.compile(r"/section/3/$"))

    # Trying to leave the questionnaire leads straight back to it.
    page.goto(f"/people/{person.pk}/")
    assert re.search(r"/section/3/$", page.url)

    # The navigator takes the device back with their password.
    page.locator("#return-to-staff").click()
    page.wait_for_url(re.compile(r"/handback/$"))
    assert_accessible(page)
    page.fill("input[name=password]", "not-my-password")
    page.locator("#handback-submit").click()
    # The click submits the form; wait for the answer page rather than read the one leaving.
    page.locator("#password-error").wait_for(state="visible")
    page.fill("input[name=password]", PASSWORD)
    page.locator("#handback-submit").click()
    page.wait_for_url(re.compile(r"/review/$"))
    assert page.locator("nav.main-nav").is_visible()
    assert_accessible(page)

    session = Session.objects.get(person=person, instrument_id="needs_assessment")
    declined = Answer.objects.get(session=session, item_id="daily_impact")
    assert declined.declined and declined.by_person

    # Finish: the new needs appear.
    page.locator("#finish").click()
    page.wait_for_url(re.compile(r"/detail/$"))
    assert_accessible(page)
    needs_list = page.locator("ul.need-list")
    assert needs_list.get_by_text("Safety planning").is_visible()
    page.goto(f"/assessments/person/{person.pk}/needs/")
    assert (
        page.locator("#needs-table").get_by_role("rowheader", name="Safety planning").is_visible()
    )
    assert_accessible(page)

    # A second resilience scale, then the trajectory chart compares the two.
    page.goto(f"/assessments/person/{person.pk}/start/")
    page.select_option("#id_instrument", "brief_resilience_scale")
    page.select_option("#id_language", "en")
    page.get_by_label("By phone").check()
    page.locator("#start-submit").click()
    page.wait_for_url(re.compile(r"/section/1/$"))
    assert page.get_by_text("Last time").first.is_visible()  # previous answers, staff only
    for n, point in enumerate(["4", "2", "4", "2", "4", "2"], start=1):
        page.locator(f"#q-brs_{n}").get_by_label(
            {"4": "Agree", "2": "Disagree"}[point], exact=True
        ).check()
    page.get_by_role("button", name="Save and review").click()
    page.wait_for_url(re.compile(r"/review/$"))
    page.locator("#finish").click()
    page.wait_for_url(re.compile(r"/detail/$"))

    page.goto(f"/assessments/person/{person.pk}/trajectory/")
    chart = page.locator("svg.trajectory-chart[role=img]")
    assert chart.count() == 1
    assert "First 2.00, latest 4.00" in chart.locator("desc").text_content()
    assert page.locator("table.chart-data tbody tr").count() == 2
    assert_accessible(page)


@pytest.mark.browser
def test_hand_back_offers_to_update_the_record_and_accepting_changes_it(page, seeded):
    """Tell it once: what the person said about staff and contact goes on the record."""
    from wayfinder.assessments.instruments import get_instrument

    personas = seeded
    person = personas.survivor
    page.goto("/accounts/login/")
    page.fill("input[name=login]", personas.navigator_a.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(re.compile(r"/$"))

    page.goto(f"/assessments/person/{person.pk}/start/")
    page.select_option("#id_instrument", "needs_assessment")
    page.select_option("#id_language", "es")
    page.get_by_label("In person").check()
    page.locator("#start-submit").click()
    page.wait_for_url(re.compile(r"/section/1/$"))
    page.locator("#hand-over").click()
    page.wait_for_url(re.compile(r"/section/1/$"))

    # The person answers the language and culture questions on the device.
    sections = [s.id for s in get_instrument("needs_assessment").sections]
    index = sections.index("language_culture") + 1
    page.goto(
        f"/assessments/session/{Session.objects.get(person=person, instrument_id='needs_assessment').pk}/section/{index}/"
    )
    page.locator("#q-staff_gender").get_by_label("Mujeres").check()
    page.locator("#q-safe_contact").get_by_label(
        "Solo a través de mi administrador/a de caso"
    ).check()
    page.locator("#q-faith_services").get_by_label("Me da igual").check()
    page.locator("#save-next").click()  # the last section: then "thank you"
    page.wait_for_url(re.compile(r"/thanks/$"))

    # Hand-back: the review offers each answer that belongs on the record.
    page.locator("#return-to-staff").click()
    page.wait_for_url(re.compile(r"/handback/$"))
    page.fill("input[name=password]", PASSWORD)
    page.locator("#handback-submit").click()
    page.wait_for_url(re.compile(r"/review/$"))
    offers = page.locator("#record-offers")
    assert offers.get_by_role("heading", name="Update the record?").is_visible()
    text = offers.inner_text()
    assert "Preferred gender of staff: Women staff" in text
    assert "Safe way to contact: Only through my case manager" in text
    assert "the record says: Text message" in text
    assert_accessible(page)

    # The navigator takes two of the three; the record changes, and only there.
    offers.get_by_label(re.compile("Preferred gender of staff")).check()
    offers.get_by_label(re.compile("Safe way to contact")).check()
    offers.get_by_role("button", name="Update the record").click()
    page.wait_for_url(re.compile(r"/review/$"))
    assert page.get_by_text("The record was updated with 2 answers.").is_visible()
    person.refresh_from_db()
    assert person.staff_gender_preference == "women"
    assert person.safe_contact_method == "through_agency"
    assert person.faith_preference == ""
    remaining = page.locator("#record-offers").inner_text()
    assert "Faith-based services" in remaining and "Preferred gender" not in remaining
    assert_accessible(page)
