"""A navigator's whole journey in a real browser, with axe-core on every page: sign in with
MFA, switch to Spanish, take a person in, find them, then leave with Esc Esc."""

import re
import time

import pytest
from django.core.management import call_command

from conftest import assert_accessible
from wayfinder.core.testing import PASSWORD, make_personas


def _totp_code(secret: str) -> str:
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


@pytest.fixture
def navigator_with_totp(transactional_db, settings):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    call_command("createcachetable", verbosity=0)  # the cache (login throttling, used codes)
    settings.WAYFINDER_REQUIRE_MFA = True
    personas = make_personas()
    secret = generate_totp_secret()
    TOTP.activate(personas.navigator_a, secret)
    return personas, secret


def test_navigator_journey_in_spanish_with_quick_exit(page, navigator_with_totp):
    personas, secret = navigator_with_totp

    # Sign in: password, then the TOTP code on allauth's MFA step.
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.fill("input[name=login]", personas.navigator_a.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_selector("input[name=code]")
    page.fill("input[name=code]", _totp_code(secret))
    page.locator("input[name=code]").press("Enter")
    page.wait_for_url(re.compile(r"/$"))
    assert page.locator("h2#caseload-heading").is_visible()
    assert_accessible(page)

    # Switch the interface to Spanish.
    page.select_option("#language-switch", "es")
    page.locator("form:has(#language-switch) button[type=submit]").click()
    page.wait_for_selector("text=Mi lista de casos")
    assert page.locator("html").get_attribute("lang") == "es"
    assert_accessible(page)

    # Take a person in: Spanish first, and one question declined.
    page.get_by_role("link", name="Registrar a una persona nueva").first.click()
    page.wait_for_selector("input[name=chosen_name]")
    assert_accessible(page)
    page.get_by_label("¿Qué nombre quiere que usemos?").fill("Rosa Prueba")
    page.select_option("select[name=language_1]", "spa")
    page.check("#id_date_of_birth_declined")
    page.get_by_role("button", name="Guardar expediente nuevo").click()
    page.get_by_role("heading", name="Equipo de atención").wait_for()
    # The heading names the person (the navigator may see the name) beside the record code.
    assert page.locator("h1").inner_text().startswith("Rosa Prueba")
    code = page.locator("h1 .record-code").inner_text()
    assert re.fullmatch(r"WF-[0-9A-Z]{4}-[0-9A-Z]{2}", code)
    assert page.title().startswith(code) and "Rosa" not in page.title()
    assert page.locator(".person-summary .language-badge").first.inner_text() == "Español"
    dob = page.locator("dt:text-is('Fecha de nacimiento') + dd").inner_text()
    assert dob == "Prefiero no decirlo"
    assert_accessible(page)

    page.get_by_role("link", name="Editar expediente").click()
    page.wait_for_selector("input[name=chosen_name]")
    assert page.input_value("input[name=chosen_name]") == "Rosa Prueba"
    assert page.is_checked("#id_date_of_birth_declined")
    assert_accessible(page)

    # The list: live search by name, and the name never enters the address bar.
    page.locator("nav.main-nav a[href='/people/']").click()
    page.wait_for_selector("#person-q")
    assert_accessible(page)
    page.fill("#person-q", "rosa")
    page.wait_for_selector("#search-status:text('1 persona encontrada.')")
    assert page.locator("#person-results").inner_text().count("Rosa Prueba") == 1
    assert "rosa" not in page.url.lower()

    # The caseload on the dashboard shows them.
    page.locator("nav.main-nav a[href='/']").click()
    row = page.locator("table.caseload tr", has_text=code)
    assert "Rosa Prueba" in row.inner_text() and "Español" in row.inner_text()

    # Esc twice: a neutral page at once, and the session is over. (The listener is a deferred
    # script: wait until it has run, as a person's second look at the page always would.)
    page.wait_for_load_state("load")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url("**/static/wayfinder/neutral.html")
    assert page.locator("h1").inner_text() == "Local weather"
    _wait_for_sign_out(personas.navigator_a)  # the exit call is a keepalive request
    page.goto("/people/")
    assert "/accounts/login/" in page.url


def _wait_for_sign_out(user, seconds: float = 5.0) -> None:
    from django.contrib.sessions.models import Session

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        signed_in = [
            s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)
        ]
        if not signed_in:
            return
        time.sleep(0.1)
    raise AssertionError("the quick exit did not end the session")
