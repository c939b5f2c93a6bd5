"""In Arabic, on a phone (390 x 844): the person answers a hand-over assessment, reads and signs a
consent, and gets the printed plan. Every page runs right to left, nothing overflows sideways,
axe finds nothing serious, and quick exit works from where the thumb expects it."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import assert_accessible
from wayfinder.assessments.models import Answer
from wayfinder.consent.models import Consent
from wayfinder.core.testing import PASSWORD, make_personas

# Elements sticking out of the viewport sideways (visually hidden helpers excepted).
OVERFLOW = """() => {
  const w = window.innerWidth, bad = [];
  if (document.scrollingElement.scrollWidth > w) bad.push('document ' + document.scrollingElement.scrollWidth);
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    if (r.width <= 1 || r.height <= 1 || s.visibility === 'hidden' || s.display === 'none') continue;
    if (el.closest('.skip-link, .visually-hidden, [hidden], option')) continue;
    if (s.clip !== 'auto' || s.clipPath !== 'none') continue;
    if (r.left < -1 || r.right > w + 1) bad.push(el.tagName + '.' + el.className + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
  }
  return bad;
}"""


@pytest.fixture
def arabic(transactional_db, mfa_off):
    from wayfinder.plans import actions as plans

    call_command("createcachetable", verbosity=0)
    personas = make_personas()
    personas.survivor.preferred_languages = ["ara", "eng"]
    personas.survivor.save(update_fields=["preferred_languages"])
    nav = personas.actor(personas.navigator_a)
    goal = plans.add_goal(personas.survivor, actor=nav, text="أريد سكنًا آمنًا", domain="housing")
    plans.add_step(
        goal,
        actor=nav,
        text="زيارة مكتب السكن",
        assignee="person",
        language="ara",
        due_on=timezone.localdate() + timedelta(days=10),
    )
    return personas


def check_page(page, what: str) -> None:
    assert page.locator("html").get_attribute("dir") == "rtl", what
    assert page.locator("html").get_attribute("lang") == "ar", what
    assert page.evaluate(OVERFLOW) == [], what
    assert_accessible(page)


def quick_exit_is_top_right(page) -> None:
    box = page.locator("#quick-exit").bounding_box()
    width = page.viewport_size["width"]
    assert box["x"] + box["width"] > width * 0.6 and box["y"] < 80


def test_arabic_assessment_consent_and_plan_on_a_phone(page, arabic):
    personas, person = arabic, arabic.survivor
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/accounts/login/")
    page.fill("input[name=login]", personas.navigator_a.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(re.compile(r"/$"))

    # The worker starts the resilience questions; Arabic is chosen already (the person's).
    page.goto(f"/assessments/person/{person.pk}/start/")
    assert page.locator("#id_language").input_value() == "ar"
    page.select_option("#id_instrument", "brief_resilience_scale")
    page.locator("input[name=mode][value=in_person]").check()
    page.locator("#start-submit").click()
    page.wait_for_url(re.compile(r"/section/1/$"))
    page.locator("#hand-over").click()
    page.wait_for_url(re.compile(r"/section/1/$"))

    # The person answers, in Arabic, right to left.
    assert page.get_by_role("heading", name="المقياس المختصر للمرونة النفسية").is_visible()
    assert page.locator("#survivor-language option[value=ar]").inner_text() == "العربية"
    check_page(page, "hand-over section")
    # The detector sees an overflow when there is one.
    page.evaluate(
        "() => { const d = document.createElement('div'); d.id = 'wide';"
        " d.textContent = 'x'; d.className = 'probe'; document.body.append(d);"
        " d.setAttribute('hidden', ''); }"
    )
    page.locator("#wide").evaluate("d => { d.removeAttribute('hidden'); d.style.width = '900px'; }")
    assert page.evaluate(OVERFLOW) != []
    page.locator("#wide").evaluate("d => d.remove()")
    # The served Arabic face draws the page (no system fallback, no tofu), and only it loads.
    loaded = page.evaluate(
        "() => document.fonts.ready.then(() =>"
        " [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family))"
    )
    assert any("WF Arabic" in f for f in loaded), loaded
    assert not any(k in f for f in loaded for k in ("WF SC", "WF TC", "WF KR")), loaded
    quick_exit_is_top_right(page)
    progress = page.locator("progress").bounding_box()
    assert progress["width"] > 0
    for n in range(1, 6):
        page.locator(f"input[name=a-brs_{n}][value='4']").check()
    page.locator("#q-brs_6-declined").check()
    page.get_by_role("button", name="احفظ وأنهِ").click()
    page.wait_for_url(re.compile(r"/thanks/$"))
    assert "شكرًا لك" in page.locator("h1").inner_text()
    check_page(page, "thanks")
    answers = Answer.objects.filter(session__person=person)
    assert answers.count() == 6 and answers.filter(declined=True).count() == 1

    # The worker takes the device back.
    page.locator("#return-to-staff").click()
    page.fill("input[name=password]", PASSWORD)
    page.locator("#handback-submit").click()
    page.wait_for_url(re.compile(r"/review/$"))

    # The consent: the person reads it in Arabic, and signs.
    page.goto(f"/consent/person/{person.pk}/new/")
    page.select_option("select[name=form_language]", "ar")
    page.select_option("select[name=recipient_agency]", str(personas.legal.pk))
    page.wait_for_selector("article.consent-text[lang=ar][dir=rtl]")
    page.wait_for_selector("article.consent-text >> text=الإذن بمشاركة معلوماتك")
    page.uncheck("input[name=categories][value=substance_use]")
    page.check("input[name=categories][value=identity]")
    page.check("input[name=categories][value=needs]")
    page.wait_for_selector("article.consent-text >> text=ما تحتاج المساعدة فيه")
    page.check("input[name=purposes][value=care_coordination]")
    page.check("input[name=method][value=electronic_signature]")
    page.check("input[name=signature_kind][value=typed]")
    page.fill("input[name=typed_name]", "Ana Rivera")
    page.check("input[name=explained_not_a_condition]")
    page.get_by_role("button", name="Record consent").click()
    page.wait_for_load_state("load")
    errors = page.locator(".field:has(.errorlist)").all_inner_texts()
    assert not errors, errors
    page.wait_for_selector("text=Withdraw this consent")
    consent = Consent.objects.get()
    assert consent.form_language == "ar"
    page.goto(f"/consent/{consent.pk}/print/")
    page.wait_for_selector("section.signatures")
    assert "لا بأس أن تقول لا" in page.content()
    check_page(page, "printed consent")

    # The plan to take home, in the person's language by default; as printed on paper too.
    page.goto(f"/plans/person/{person.pk}/print/")
    page.wait_for_selector("article.printable")
    assert page.locator("h1").first.inner_text() == "خطتي"
    assert page.locator("article.printable").get_attribute("dir") == "rtl"
    check_page(page, "printed plan")
    quick_exit_is_top_right(page)
    page.emulate_media(media="print")
    assert page.evaluate(OVERFLOW) == []
    page.emulate_media(media="screen")

    # Quick exit, from the Arabic page: a neutral site at once, and the session is over.
    page.locator("#quick-exit").click()
    page.wait_for_url("**/static/wayfinder/neutral.html")
    page.goto("/people/")
    assert "/accounts/login/" in page.url
