"""Every page of the README tour in a real browser, for every demo log-in:

- at 390x844 (a phone) no page scrolls sideways, and quick exit stays on screen;
- axe-core finds no violation of any impact.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from conftest import assert_no_axe_violations
from wayfinder.core.tests.tour import load_tour

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def tour(transactional_db, settings):
    settings.WAYFINDER_REQUIRE_MFA = False  # as in the demo
    return load_tour()


def _sign_in(page, live_server, user) -> None:
    page.context.clear_cookies()
    if user is None:
        return
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def _walk(tour):
    yield None, tour.anonymous
    for key, paths in tour.pages.items():
        yield tour.net.users[key], paths


@pytest.mark.browser
def test_no_page_of_the_tour_scrolls_sideways_on_a_phone(page, live_server, tour):
    page.set_viewport_size(PHONE)
    wide, hidden_exit, seen = [], [], 0
    for user, paths in _walk(tour):
        _sign_in(page, live_server, user)
        for path in paths:
            page.goto(path)
            seen += 1
            width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            if width[0] > width[1]:
                wide.append(f"{getattr(user, 'email', 'anonymous')} {path}: {width[0]}px")
            box = page.locator("#quick-exit").bounding_box()
            if box is None or box["y"] < 0 or box["y"] + box["height"] > PHONE["height"] / 4:
                hidden_exit.append(f"{getattr(user, 'email', 'anonymous')} {path}")
    assert seen >= 40
    assert not wide, "pages wider than 390px:\n" + "\n".join(wide)
    assert not hidden_exit, "quick exit not at the top of the screen:\n" + "\n".join(hidden_exit)


@pytest.mark.browser
def test_the_header_is_compact_on_a_phone(page, live_server, tour):
    page.set_viewport_size(PHONE)
    _sign_in(page, live_server, tour.net.users["supervisor"])  # the widest header: two agencies
    page.goto("/people/")
    top_of_main = page.locator("main").bounding_box()["y"]
    # It took 39% of the screen; now at most a quarter, with quick exit, navigation and tools.
    assert top_of_main <= PHONE["height"] * 0.25, (
        f"header takes {top_of_main}px of {PHONE['height']}"
    )
    # Quick exit is there and works from the compact header.
    assert page.locator("#quick-exit").is_visible()


@pytest.mark.browser
def test_axe_finds_nothing_on_any_page_of_the_tour(page, live_server, tour):
    problems = []
    for user, paths in _walk(tour):
        _sign_in(page, live_server, user)
        for path in paths:
            page.goto(path)
            try:
                assert_no_axe_violations(page)
            except AssertionError as exc:
                problems.append(f"{getattr(user, 'email', 'anonymous')} {path}:\n{exc}")
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_date_inputs_show_a_focus_ring(page, live_server, tour):
    """Keyboard users see where they are in a date field too (the consent form's end date)."""
    navigator = tour.net.users["navigator"]
    _sign_in(page, live_server, navigator)
    path = next(p for p in tour.pages["navigator"] if p.startswith("/consent/") and "/new/" in p)
    page.goto(path)
    field = page.locator("input[type=date]").first
    field.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")  # arrive by keyboard, as a keyboard user does
    ring = field.evaluate(
        """el => { const s = getComputedStyle(el);
                   return [el === document.activeElement || el.contains(document.activeElement),
                           s.outlineStyle, parseFloat(s.outlineWidth), s.boxShadow]; }"""
    )
    assert ring[0], "the date field did not take the focus back"
    assert ring[1] != "none" and ring[2] >= 2, f"no visible focus ring: {ring}"
