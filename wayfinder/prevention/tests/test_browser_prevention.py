"""In a real browser: a trainer runs a session from creation to a printed certificate; a member
of the public registers; the help page, reached through a campaign code, finds help near a ZIP.

axe-core on every page, in English and Spanish; the ``page`` fixture fails on any CSP violation.
"""

from __future__ import annotations

import re

from django.core.management import call_command

from conftest import assert_accessible, sign_in
from wayfinder.matching.tests.factories import add_service
from wayfinder.prevention.models import HelpVisit, LinkCode
from wayfinder.prevention.tests.factories import campaign, course, trainer

WRONG = ["yes_always", "sex_only", "force_needed", "normal", "n411", "confront"]
RIGHT = ["not_always", "sex_and_labour", "no_force_needed", "red_flag", "n233733", "private"]
ITEMS = ["k_movement", "k_forms", "k_minor", "k_documents", "k_hotline", "k_approach"]


def answer(page, values):
    for item, value in zip(ITEMS, values, strict=True):
        page.locator(f"#{item}-{value}").check()
    page.get_by_role("button", name="Save the check").click()
    page.wait_for_url("**/prevention/sessions/*/")


def test_trainer_public_and_help_page(page, browser, live_server, transactional_db, mfa_off):
    call_command("createcachetable", verbosity=0)
    actor = trainer()
    course(actor, title="SOAR for health care")
    LinkCode.objects.create(code="BUS9", campaign=campaign(actor))
    add_service(
        "Open Door Crisis Center",
        ["crisis_intervention"],
        zip="60623",
        days="MO,TU,WE,TH,FR,SA,SU",
        hours=("00:00", "23:59"),
    )

    # A trainer creates a session.
    sign_in(page, actor.user)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Prevention").click()
    page.wait_for_selector("h1:has-text('Prevention')")
    assert_accessible(page)
    page.get_by_role("link", name="New session").click()
    page.wait_for_selector("h1:has-text('New session')")
    assert_accessible(page)
    page.locator("#id_course").select_option(label="SOAR for health care")
    page.locator("#id_starts_at").fill("2030-01-15T10:00")
    page.locator("#id_place").fill("Room 2, Public Library")
    page.locator("#id_sector").select_option("health_care")
    page.locator("#id_language").select_option("en")
    page.locator("#id_capacity").fill("10")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/prevention/sessions/*/")
    assert_accessible(page)
    public_url = page.locator("#public-link").get_attribute("href")

    # A member of the public registers, with no account (their browser is in Spanish).
    context = browser.new_context(base_url=live_server.url, locale="es-ES")
    public = context.new_page()
    public.goto(public_url)
    public.wait_for_selector("h1:has-text('Inscripción')")
    assert_accessible(public)
    public.fill("input[name=name]", "Dana Reyes")
    public.fill("input[name=email]", "dana@example.org")
    public.fill("input[name=organisation]", "Mercy Clinic")
    public.locator("select[name=sector]").select_option("health_care")
    public.get_by_role("button", name="Inscribirse").click()
    public.locator("#registration-done").wait_for()
    assert "Está inscrito" in public.locator("#registration-done").inner_text()
    assert_accessible(public)
    context.close()

    # The trainer takes attendance and records the checks before and after.
    page.reload()
    page.get_by_label("Dana Reyes").check()
    page.get_by_role("button", name="Save attendance").click()
    page.wait_for_selector("text=Attendance is saved: 1 present.")
    page.get_by_role("link", name=re.compile("Record before")).click()
    page.wait_for_selector("h1:has-text('before the training')")
    assert_accessible(page)
    answer(page, RIGHT[:2] + WRONG[2:])
    page.get_by_role("link", name=re.compile("Record after")).click()
    page.wait_for_selector("h1:has-text('after the training')")
    answer(page, RIGHT)
    page.wait_for_selector("text=1 trainee took both checks: 33.3% right before, 100.0% after")
    assert_accessible(page)

    # A certificate is printed.
    page.get_by_role("button", name=re.compile("Certificate")).click()
    page.wait_for_url("**/certificate/print/")
    page.wait_for_selector("h1:has-text('Certificate of completion')")
    assert "Dana Reyes" in page.locator("article.certificate").inner_text()
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Print").is_visible()
    assert page.pdf()[:4] == b"%PDF"
    page.emulate_media(media="screen")

    # The public help page, reached through a campaign code, on a 390-pixel phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/h/BUS9/")
    page.wait_for_url("**/help/?c=BUS9")
    for selector in ("#quick-exit", "a[href='tel:18883737888']", "a[href='sms:233733']"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["y"] + box["height"] <= 844, selector
    assert HelpVisit.objects.get(code__code="BUS9").count == 1
    assert_accessible(page)
    page.fill("#help-zip", "60623")
    page.get_by_role("button", name="Search").click()
    page.locator(".help-result").first.wait_for()
    result = page.locator(".help-result").first.inner_text()
    assert "Open Door Crisis Center" in result and "Open now" in result
    assert_accessible(page)
    page.locator("#survivor-language").select_option("es")
    page.locator("#language-switch-submit").click()
    page.wait_for_selector("h1:has-text('Dónde conseguir ayuda')")
    assert page.locator("html").get_attribute("lang") == "es"
    assert "Abierto ahora" in page.locator(".help-result").first.inner_text()
    assert_accessible(page)


def test_the_help_page_works_with_javascript_off(browser, live_server, transactional_db):
    add_service("Open Door Crisis Center", ["crisis_intervention"], zip="60623")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/help/")
    page.fill("#help-zip", "60623")
    page.get_by_role("button", name="Search").click()
    page.locator(".help-result").first.wait_for()
    assert "Open Door Crisis Center" in page.locator(".help-result").first.inner_text()
    assert page.locator("#quick-exit").get_attribute("href")
    assert not context.cookies()
    context.close()
