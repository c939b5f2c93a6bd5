"""Sign-in is allauth inside Wayfinder's own page: labelled, translated, closed to self-signup."""

import re

from django.urls import reverse

from wayfinder.core.testing import PASSWORD


def test_login_page_is_a_wayfinder_page_with_labelled_fields(client):
    response = client.get(reverse("account_login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="quick-exit"' in html  # extends base.html
    assert "<h1>Sign in</h1>" in html
    for field_id in ("id_login", "id_password"):
        assert f'<label for="{field_id}"' in html
        assert f'id="{field_id}"' in html
    assert "sign up" not in html.lower()
    assert reverse("account_reset_password") in html
    assert re.search(r"<title>\s*Sign in\s*·", html)


def test_login_page_in_spanish(client):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="es")
    html = response.content.decode()
    assert '<html lang="es"' in html
    assert "<h1>Iniciar sesión</h1>" in html
    assert "Salida rápida" in html


def test_staff_member_signs_in_with_password(client, personas, mfa_off):
    response = client.post(
        reverse("account_login"), {"login": "navigator.a@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert client.session["_auth_user_id"] == str(personas.navigator_a.pk)


def test_wrong_password_is_a_form_error_not_a_hint(client, personas):
    response = client.post(
        reverse("account_login"), {"login": "navigator.a@example.org", "password": "nope"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "not correct" in response.content.decode()


def test_signup_is_closed(client, db):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "Sign Up Closed" in response.content.decode()
    client.post(
        reverse("account_signup"),
        {"email": "someone@example.org", "password1": "a-long-password-123"},
    )
    from wayfinder.accounts.models import User

    assert not User.objects.filter(email="someone@example.org").exists()


def test_user_with_every_role_removed_cannot_sign_in(client, personas, mfa_off):
    from wayfinder.accounts.actions import deactivate_member
    from wayfinder.accounts.models import Membership

    membership = Membership.objects.get(user=personas.navigator_a)
    deactivate_member(membership, actor=personas.actor(personas.admin_a))
    response = client.post(
        reverse("account_login"), {"login": "navigator.a@example.org", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 302)
    follow = client.get(response["Location"]) if response.status_code == 302 else response
    assert "This account is inactive." in follow.content.decode()


def test_password_reset_sends_a_link_that_sets_a_new_password(client, personas, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": "navigator.a@example.org"})
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", mailoutbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path)
    assert response.status_code == 302  # allauth moves the key into the session
    form_url = response["Location"]
    new = "a-brand-new-long-passphrase"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 302
    personas.navigator_a.refresh_from_db()
    assert personas.navigator_a.check_password(new)
