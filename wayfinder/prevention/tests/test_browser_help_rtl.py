"""In a real browser: the public help page in Arabic on a 390-pixel phone runs right to left,
does not scroll sideways, shows quick exit and the hotline in the first screen, and passes
axe-core (no serious or critical violations). The ``page`` fixture fails on any CSP violation."""

from __future__ import annotations

from django.conf import settings

from conftest import assert_accessible

WIDTH, HEIGHT = 390, 844


def test_the_help_page_in_arabic_on_a_phone(page, live_server, transactional_db):
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    page.goto("/help/?lang=ar")
    page.wait_for_selector("h1:has-text('أين تجد المساعدة')")
    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl" and html.get_attribute("lang") == "ar"

    # Nothing pushes the page sideways.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, overflow

    # Quick exit and the hotline's call and text buttons are in the first screen.
    hotline_tel = "".join(c for c in settings.WAYFINDER_HELP_HOTLINE_PHONE if c.isdigit())
    hotline_sms = "".join(c for c in settings.WAYFINDER_HELP_HOTLINE_TEXT if c.isdigit())
    for selector in ("#quick-exit", f"a[href='tel:{hotline_tel}']", f"a[href='sms:{hotline_sms}']"):
        box = page.locator(selector).bounding_box()
        assert box is not None, selector
        assert box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT, selector
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, selector
    assert page.locator("#quick-exit").is_visible()
    # Quick exit stays at the top right, where the thumb finds it (docs/languages.md).
    exit_box = page.locator("#quick-exit").bounding_box()
    assert exit_box is not None and exit_box["x"] > WIDTH / 2
    assert_accessible(page)

    # The switch (a GET form, no cookie) brings the page back to English, left to right.
    page.locator("#survivor-language").select_option("en")
    page.locator("#language-switch-submit").click()
    page.wait_for_selector("h1:has-text('Where to get help')")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert not page.context.cookies()
