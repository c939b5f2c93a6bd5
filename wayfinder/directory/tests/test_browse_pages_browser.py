"""The directory's pages near a place, in Chromium: in Spanish, 390 px wide, by keyboard. The
page says there are more than it read, and "Siguiente" continues from the nearest not yet shown;
axe-core finds nothing serious."""

from __future__ import annotations

import re

import pytest

from conftest import assert_accessible
from wayfinder.directory.tests.test_browse_pages import ORIGIN, _store

pytestmark = pytest.mark.browser


def _miles(page) -> list[float]:
    texts = page.locator(".directory-list li strong").all_inner_texts()
    return [float(re.sub(r"[^\d.,]", "", t).replace(",", ".")) for t in texts]


def test_nearest_first_pages_in_spanish_at_390_px_by_keyboard(phone_es, transactional_db, settings):
    settings.WAYFINDER_DIRECTORY_PUBLIC = True
    # 60 services a tenth of a mile apart, going north from the Loop.
    _store([(f"Servicio {i:02d}", [(0.0015 * i, 0.0)]) for i in range(60)])
    page = phone_es
    page.goto(f"/directory/?near={ORIGIN[0]},{ORIGIN[1]}")
    assert page.get_by_role("status").inner_text() == "Más de 25 servicios."
    assert page.locator(".pagination span").inner_text() == "Página 1"
    first = _miles(page)
    assert len(first) == 25 and first == sorted(first)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at 390 px ({width} px)"
    assert_accessible(page)

    page.get_by_role("link", name="Siguiente").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"page=2"))
    assert page.locator(".pagination span").inner_text() == "Página 2"
    second = _miles(page)
    assert len(second) == 25 and min(second) >= max(first)
    page.get_by_role("link", name="Siguiente").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"page=3"))
    # The last page holds the rest, and now the count is known.
    assert page.get_by_role("status").inner_text() == "60 servicios."
    assert page.locator(".pagination span").inner_text() == "Página 3 de 3"
    assert len(_miles(page)) == 10
    assert page.get_by_role("link", name="Siguiente").count() == 0
