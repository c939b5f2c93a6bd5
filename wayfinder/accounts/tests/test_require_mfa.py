"""With WAYFINDER_REQUIRE_MFA on, staff without TOTP are sent to set it up, then see recovery codes."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from wayfinder.accounts.middleware import HAS_TOTP_KEY
from wayfinder.accounts.tests.conftest import give_totp, has_totp, totp_code
from wayfinder.core.testing import PASSWORD


def sign_in(client, email):
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def test_staff_without_totp_is_sent_to_set_up(client, personas):
    sign_in(client, "navigator.a@example.org")
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # Wayfinder's own pages under /accounts/ are not a way around it.
    assert client.get(reverse("my_account"))["Location"] == reverse("mfa_activate_totp")


def test_htmx_request_is_redirected_as_a_whole_page(client, personas):
    sign_in(client, "navigator.a@example.org")
    response = client.get(reverse("dashboard"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize(
    "path",
    ["/api/v1/does-not-exist", "/static/wayfinder/wayfinder.css", "/i18n/setlang/", "/healthz"],
)
def test_api_static_and_language_paths_stay_reachable(client, personas, path):
    sign_in(client, "navigator.a@example.org")
    response = client.get(path)
    assert response.get("Location") != reverse("mfa_activate_totp")


def test_quick_exit_stays_reachable_and_signs_out(client, personas):
    sign_in(client, "navigator.a@example.org")
    response = client.post(reverse("quick_exit"))
    assert response.status_code == 302
    assert response["Location"] != reverse("mfa_activate_totp")
    assert "_auth_user_id" not in client.session


def test_sign_out_stays_reachable(client, personas):
    sign_in(client, "navigator.a@example.org")
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_setting_up_totp_shows_recovery_codes_then_lets_the_user_in(client, personas):
    sign_in(client, "navigator.a@example.org")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200  # no second password prompt right after signing in
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    codes_page = client.get(response["Location"])
    assert codes_page.status_code == 200
    codes = codes_page.context["unused_codes"]
    assert len(codes) == 10
    html = codes_page.content.decode()
    assert all(code in html for code in codes)
    assert has_totp(personas.navigator_a)
    assert client.get(reverse("my_account")).status_code == 200


def test_wrong_code_is_a_form_error(client, personas):
    sign_in(client, "navigator.a@example.org")
    client.get(reverse("mfa_activate_totp"))
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert not has_totp(personas.navigator_a)


def test_sign_in_with_totp_asks_for_the_code(client, personas):
    secret = give_totp(personas.navigator_a)
    response = sign_in(client, "navigator.a@example.org")
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not signed in until the second step
    response = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(personas.navigator_a.pk)
    assert client.get(reverse("my_account")).status_code == 200


def test_a_recovery_code_works_once_instead_of_the_app(client, personas):
    give_totp(personas.navigator_a)
    rc = Authenticator.objects.get(
        user=personas.navigator_a, type=Authenticator.Type.RECOVERY_CODES
    )
    code = rc.wrap().get_unused_codes()[0]
    sign_in(client, "navigator.a@example.org")
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(personas.navigator_a.pk)
    client.post(reverse("account_logout"))
    sign_in(client, "navigator.a@example.org")
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200  # used up
    assert "_auth_user_id" not in client.session


def test_removing_totp_clears_the_cached_flag_and_asks_again(client, personas):
    secret = give_totp(personas.navigator_a)
    sign_in(client, "navigator.a@example.org")
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert client.get(reverse("my_account")).status_code == 200
    assert client.session[HAS_TOTP_KEY] is True
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not has_totp(personas.navigator_a)
    assert HAS_TOTP_KEY not in client.session
    assert client.get(reverse("my_account"))["Location"] == reverse("mfa_activate_totp")


def test_requirement_off_lets_staff_in_without_totp(client, personas, mfa_off):
    sign_in(client, "navigator.a@example.org")
    assert client.get(reverse("my_account")).status_code == 200
