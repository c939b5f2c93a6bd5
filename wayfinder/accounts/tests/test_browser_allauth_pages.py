"""Every allauth page a person can reach is a Wayfinder page: quick exit, one h1, axe-clean."""

from django.core.management import call_command

from conftest import assert_accessible
from wayfinder.accounts.tests.conftest import give_totp, totp_code
from wayfinder.core.testing import PASSWORD, make_personas

ANONYMOUS = [
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/1-bad-token/",
    "/accounts/signup/",
]
SIGNED_IN = [
    "/accounts/me/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/deactivate/",
    "/accounts/2fa/recovery-codes/",
    "/accounts/2fa/recovery-codes/generate/",
    "/accounts/reauthenticate/",
    "/accounts/email/",
    "/accounts/logout/",
]


def check(page, path):
    page.goto(path)
    assert page.locator("#quick-exit").count() == 1, path
    assert page.locator("h1").count() == 1, path
    assert page.title().endswith("Wayfinder"), path
    assert_accessible(page)


def test_allauth_pages_are_native_and_accessible(page, clean_cache, settings):
    call_command("createcachetable", verbosity=0)
    settings.WAYFINDER_REQUIRE_MFA = True
    personas = make_personas()
    secret = give_totp(personas.navigator_a)
    for path in ANONYMOUS:
        check(page, path)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(personas.navigator_a.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    for path in SIGNED_IN:
        check(page, path)
