"""In Chromium at 390x844, in Arabic: the person chooses العربية on the sign-in page, uses the
code from their navigator, makes a PIN, sees their plan and what they share, right to left with
nothing overflowing sideways, and leaves by quick exit. axe: no serious or critical violations."""

from __future__ import annotations

import re

import pytest

from conftest import assert_accessible
from wayfinder.core.testing import make_personas
from wayfinder.plans.tests import factories as plans
from wayfinder.portal.tests.factories import invite
from wayfinder.referrals.tests.factories import referral_consent

PIN = "730194"


@pytest.fixture
def team(transactional_db, mfa_off):
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)
    p = make_personas()
    p.survivor.preferred_languages = ["ara", "eng"]
    p.survivor.save(update_fields=["preferred_languages"])
    referral_consent(p, p.legal, ["identity", "legal"], purposes=("referral", "care_coordination"))
    goal = plans.goal(p, text="أريد مكانًا آمنًا للسكن.", language="ara")
    plans.step(p, goal, text="املأ استمارة السكن", language="ara")
    _invitation, p.code = invite(p)
    return p


def right_to_left_and_fits(page):
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    fits = page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    assert fits, page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert_accessible(page)


def test_the_portal_in_arabic(page, team, live_server):
    page.set_viewport_size({"width": 390, "height": 844})

    # Signed out, the page's switch names each language in its own script.
    page.goto("/my/")
    assert page.locator("#survivor-language option[value=ar]").inner_text() == "العربية"
    page.select_option("#survivor-language", "ar")
    page.click("#language-switch-submit")
    page.wait_for_function("document.documentElement.dir === 'rtl'")
    assert "تسجيل" in page.content() or "ادخل" in page.content()
    right_to_left_and_fits(page)

    # The code on paper, then a PIN; the recovery sheet shows once, in Arabic.
    page.click("a[href='/my/start/']")
    page.wait_for_url("**/my/start/")
    right_to_left_and_fits(page)
    page.fill("input[name=code]", team.code)
    page.locator("input[name=code]").press("Enter")
    page.wait_for_url("**/my/start/choose/")
    right_to_left_and_fits(page)
    page.check("input[name=kind][value=pin]")
    page.fill("input[name=secret]", PIN)
    page.fill("input[name=again]", PIN)
    page.locator("input[name=again]").press("Enter")
    page.locator(".portal-codes li").first.wait_for()
    assert "ورقة رموزك" in page.content()
    right_to_left_and_fits(page)

    # Her portal speaks her preferred language (Arabic) once she is in.
    page.click("a[href='/my/home/']")
    page.wait_for_url("**/my/home/")
    right_to_left_and_fits(page)
    assert page.locator("#survivor-language option[value=ar]").get_attribute("selected") is not None

    page.goto("/my/plan/")
    page.locator("main h1").wait_for()
    assert "أريد مكانًا آمنًا للسكن." in page.content()
    assert "خطتي" in page.content()
    right_to_left_and_fits(page)

    page.goto("/my/sharing/")
    page.locator("main h1").wait_for()
    assert "يمكن لـ Justice Bridge Legal Aid أن يرى اسمك و" in page.content()
    assert page.get_by_role("button", name="أوقف المشاركة مع Justice Bridge Legal Aid").count() == 1
    right_to_left_and_fits(page)

    # Quick exit stays top right, and works: the neutral page, and the portal session is gone.
    box = page.locator("#quick-exit").bounding_box()
    assert box and box["x"] + box["width"] > 390 / 2
    page.click("#quick-exit")
    page.wait_for_url(re.compile(r"neutral\.html"))
    page.goto("/my/home/")
    page.wait_for_url(re.compile(r"/my/$"))
