"""In a browser: the person, answering alone in hand-over mode, says they have had thoughts of
hurting themself. They see the crisis screen at once in their language, take a break and go on;
the navigator takes the device back and sees the flag first; the dashboard and the person's page
carry the banner until the response is recorded. In English on a desktop, and in Spanish on a
390-pixel phone screen (axe on every page)."""

import re

import pytest
from django.core.management import call_command

from conftest import assert_accessible
from wayfinder.assessments import actions
from wayfinder.assessments.models import SafetyFlag
from wayfinder.audit.models import AuditEvent
from wayfinder.core.testing import PASSWORD, make_personas

WORDS = {
    "en": {
        "yes": "Yes",
        "crisis": "Thank you for telling us",
        "break": "Take your time",
        "kind": "Thoughts of hurting themself",
        "next": "Next step",
        "banner": "Safety alert: waiting for a response",
        "dashboard": "Safety alerts waiting for a response",
        "closed": "Response recorded. The safety alert is closed.",
    },
    "es": {
        "yes": "Sí",
        "crisis": "Gracias por decírnoslo",
        "break": "Tómese su tiempo",
        "kind": "Pensamientos de hacerse daño",
        "next": "Siguiente paso",
        "banner": "Alerta de seguridad: pendiente de respuesta",
        "dashboard": "Alertas de seguridad pendientes de respuesta",
        "closed": "Respuesta registrada. La alerta de seguridad está cerrada.",
    },
}


@pytest.fixture
def seeded(transactional_db, settings):
    call_command("createcachetable", verbosity=0)
    settings.WAYFINDER_REQUIRE_MFA = False
    return make_personas()


def no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert width <= 0, f"{page.url} scrolls sideways by {width}px"


@pytest.mark.browser
@pytest.mark.parametrize(("language", "width"), [("en", 1280), ("es", 390)])
def test_a_disclosure_in_hand_over_gets_an_answer(page, seeded, language, width):
    personas, words = seeded, WORDS[language]
    person = personas.survivor
    page.set_viewport_size({"width": width, "height": 844})

    page.goto("/accounts/login/")
    page.fill("input[name=login]", personas.navigator_a.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(re.compile(r"/$"))
    if language == "es":
        page.select_option("#language-switch", "es")
        page.locator("form:has(#language-switch) button[type=submit]").click()
        page.wait_for_selector("text=Mi lista de casos")
    assert page.locator(".urgent-banner").count() == 0

    # A needs assessment in the person's language, up to the emotional wellbeing section.
    nav = personas.actor(personas.navigator_a)
    session = actions.start_session(
        person,
        actor=nav,
        instrument_id="needs_assessment",
        mode="in_person",
        language=language,
        interpreter_used="no",
    )
    sections = session.instrument.sections
    index = next(n for n, s in enumerate(sections, 1) if s.id == "mental_health")
    actions.save_answers(session, actor=nav, answers={}, current_section=index - 1)
    page.goto(f"/assessments/session/{session.pk}/")
    page.wait_for_url(re.compile(rf"/section/{index}/$"))

    # Hand the device over; the person answers "yes" to thoughts of hurting themself.
    page.locator("#hand-over").click()
    page.wait_for_url(re.compile(rf"/section/{index}/$"))
    assert page.locator("nav.main-nav").count() == 0
    page.locator("#q-thoughts_of_harm").get_by_label(words["yes"], exact=True).check()
    page.locator("#save-next").click()

    # At once: the crisis screen, in the person's language, with quick exit still there.
    page.wait_for_url(re.compile(r"/crisis/$"))
    assert page.locator("html").get_attribute("lang") == language
    assert page.get_by_role("heading", level=1, name=words["crisis"]).is_visible()
    assert page.locator('a[href="tel:988"]').is_visible()
    assert page.locator('a[href="sms:988"]').is_visible()
    assert page.locator('a[href="tel:+18883737888"]').is_visible()
    assert page.locator('a[href="sms:233733"]').is_visible()
    assert page.locator("#quick-exit").is_visible()
    assert person.pseudonym not in page.content()
    assert_accessible(page)
    no_sideways_scroll(page)

    # A break, then the person goes on with the questions where they were going.
    page.locator("#crisis-break").click()
    page.wait_for_url(re.compile(r"/break/$"))
    assert page.get_by_role("heading", level=1, name=words["break"]).is_visible()
    assert_accessible(page)
    no_sideways_scroll(page)
    page.locator("#break-continue").click()
    page.wait_for_url(re.compile(rf"/section/{index + 1}/$"))

    # The navigator takes the device back: the flag comes first, with the next step.
    page.locator("#return-to-staff").click()
    page.wait_for_url(re.compile(r"/handback/$"))
    page.fill("input[name=password]", PASSWORD)
    page.locator("#handback-submit").click()
    page.wait_for_url(re.compile(r"/review/$"))
    flags = page.locator("#safety-flags")
    assert flags.is_visible()
    assert flags.get_by_text(words["kind"], exact=True).is_visible()
    assert flags.get_by_text(words["next"]).is_visible()
    first_heading = page.locator("main h2").first
    assert first_heading.get_attribute("id") == "flags-title"
    assert_accessible(page)

    # The dashboard and the person's page carry the banner first.
    page.goto("/")
    banner = page.locator(".urgent-banner")
    assert banner.get_by_role("heading", name=words["dashboard"]).is_visible()
    assert banner.get_by_text(words["kind"], exact=True).is_visible()
    assert_accessible(page)
    page.goto(f"/people/{person.pk}/")
    banner = page.locator(".urgent-banner")
    assert banner.get_by_role("heading", name=words["banner"]).is_visible()
    assert page.locator("main h2").first.get_attribute("id") == "panel-safety-title"
    assert_accessible(page)

    # The response: one action; the banners go.
    banner.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/assessments/flags/"))
    assert_accessible(page)
    no_sideways_scroll(page)
    page.locator("textarea[name=note]").fill("Talked together; safety plan made; 988 saved.")
    page.locator("#flag-respond").click()
    page.wait_for_url(re.compile(rf"/people/{person.pk}/$"))
    assert page.get_by_text(words["closed"]).is_visible()
    assert page.locator(".urgent-banner").count() == 0
    page.goto("/")
    assert page.locator(".urgent-banner").count() == 0

    flag = SafetyFlag.objects.get(person=person)
    assert flag.by_person and flag.responded_at is not None
    assert AuditEvent.objects.filter(action="safety_flag.respond", object_id=str(flag.pk)).exists()
