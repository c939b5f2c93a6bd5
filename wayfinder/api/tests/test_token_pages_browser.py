"""In a real browser: create a token, copy it once, use it, revoke it; axe-core on every page."""

from django.core.management import call_command

from conftest import assert_accessible
from wayfinder.core.testing import PASSWORD, make_personas


def test_create_use_and_revoke_a_token(page, transactional_db, mfa_off):
    call_command("createcachetable", verbosity=0)
    personas = make_personas()

    page.goto("/accounts/login/")
    page.fill("input[name=login]", personas.navigator_a.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url("**/")

    page.get_by_role("link", name="API tokens").click()
    page.wait_for_selector("h1:has-text('API tokens')")
    assert_accessible(page)

    page.fill("input[name=name]", "Nightly export")
    page.get_by_role("button", name="Create token").click()
    page.wait_for_selector("h1:has-text('Your new API token')")
    assert_accessible(page)
    raw = page.get_by_label("Token “Nightly export”").input_value()
    assert raw.startswith("wf_")

    url = "/api/v1/persons/"
    answer = page.request.get(url, headers={"Authorization": f"Bearer {raw}"})
    assert answer.status == 200 and answer.json()["total"] == 1

    page.get_by_role("link", name="Back to your tokens").click()
    assert raw not in page.content()
    page.get_by_role("button", name="Revoke the token Nightly export").click()
    page.wait_for_selector("text=is revoked and stops working at once")
    assert page.locator("td .badge.danger").inner_text() == "Revoked"
    assert_accessible(page)
    assert page.request.get(url, headers={"Authorization": f"Bearer {raw}"}).status == 401
