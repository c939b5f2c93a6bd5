"""add_member: invite by e-mail with a role; the e-mail has a set-password link and no client data."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from wayfinder.accounts.actions import add_member
from wayfinder.accounts.models import Membership, Role, User
from wayfinder.audit.models import AuditEvent


def invite(personas, capture, email="new.person@example.org", role=Role.NAVIGATOR, **kw):
    with capture(execute=True):
        return add_member(
            actor=personas.actor(personas.admin_a),
            agency=personas.lead,
            email=email,
            role=role,
            display_name="New Person",
            **kw,
        )


def test_invitation_creates_user_without_password_and_emails_a_link(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    membership = invite(
        personas, django_capture_on_commit_callbacks, email=" New.Person@Example.org "
    )
    user = membership.user
    assert user.email == "new.person@example.org"
    assert not user.has_usable_password()
    assert membership.role == Role.NAVIGATOR and membership.is_active
    assert membership.invited_by == personas.admin_a
    mail, notice = mailoutbox  # the invitation, then the admins' notice (admin_a is one)
    assert mail.to == ["new.person@example.org"]
    assert notice.to == ["admin.a@example.org"]
    assert "Harbor Light Alliance" in mail.body
    assert re.search(r"/accounts/password/reset/key/[0-9a-z]+-\S+/", mail.body)
    # Nothing about anyone the agency serves.
    survivor = personas.survivor
    text = mail.subject + mail.body
    for secret in ("Ana", "Rivera", survivor.pseudonym, str(survivor.pk)):
        assert secret not in text
    event = AuditEvent.objects.get(action="membership.add", object_id=str(membership.pk))
    assert event.actor_id == personas.admin_a.pk
    assert event.detail == {"user_id": user.pk, "role": "navigator", "reactivated": False}
    assert "new.person" not in repr(event.__dict__)


def test_invited_person_sets_password_then_signs_in(
    client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    invite(personas, django_capture_on_commit_callbacks)
    path = re.search(r"https?://[^/]+(/\S+)", mailoutbox[0].body).group(1)
    response = client.get(path)
    assert response.status_code == 302
    new = "my-own-long-passphrase-7"
    client.post(response["Location"], {"password1": new, "password2": new})
    user = User.objects.get(email="new.person@example.org")
    assert user.check_password(new)
    response = client.post(
        reverse("account_login"), {"login": "new.person@example.org", "password": new}
    )
    assert response.status_code == 302
    # Two-step sign-in comes next.
    assert client.get(reverse("my_account"))["Location"] == reverse("mfa_activate_totp")


def test_the_link_works_only_once(client, personas, mailoutbox, django_capture_on_commit_callbacks):
    invite(personas, django_capture_on_commit_callbacks)
    path = re.search(r"https?://[^/]+(/\S+)", mailoutbox[0].body).group(1)
    form_url = client.get(path)["Location"]
    client.post(
        form_url, {"password1": "first-long-passphrase", "password2": "first-long-passphrase"}
    )
    other = client.__class__()
    response = other.get(path)
    if response.status_code == 302:
        response = other.get(response["Location"])
    assert response.context["token_fail"] is True


def test_existing_staff_member_gets_a_new_role_without_a_new_invitation(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    membership = invite(
        personas,
        django_capture_on_commit_callbacks,
        email="navigator.a@example.org",
        role=Role.SUPERVISOR,
    )
    assert membership.user == personas.navigator_a
    # They already have a password: no invitation, only the admins' notice.
    assert [m.to for m in mailoutbox] == [["admin.a@example.org"]]


def test_same_role_twice_is_refused(personas, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError) as exc:
        invite(personas, django_capture_on_commit_callbacks, email="navigator.a@example.org")
    assert exc.value.code == "already_member"


def test_a_removed_role_can_be_given_again(personas, django_capture_on_commit_callbacks):
    from wayfinder.accounts.actions import deactivate_member

    m = Membership.objects.get(user=personas.navigator_a, agency=personas.lead)
    deactivate_member(m, actor=personas.actor(personas.admin_a))
    again = invite(personas, django_capture_on_commit_callbacks, email="navigator.a@example.org")
    assert again.pk == m.pk and again.is_active and again.deactivated_at is None


def test_agency_admin_cannot_make_network_admins(personas, django_capture_on_commit_callbacks):
    with pytest.raises(PermissionDenied):
        invite(personas, django_capture_on_commit_callbacks, role=Role.NETWORK_ADMIN)


def test_agency_admin_cannot_add_staff_to_another_agency(personas):
    with pytest.raises(PermissionDenied):
        add_member(
            actor=personas.actor(personas.admin_a),
            agency=personas.housing,
            email="x@example.org",
            role=Role.NAVIGATOR,
        )


@pytest.mark.parametrize("who", ["navigator_a", "outsider_c", "analyst"])
def test_non_admins_cannot_invite(personas, who):
    with pytest.raises(PermissionDenied):
        add_member(
            actor=personas.actor(getattr(personas, who)),
            agency=personas.lead,
            email="x@example.org",
            role=Role.NAVIGATOR,
        )
    assert not User.objects.filter(email="x@example.org").exists()


def test_network_admin_may_give_any_role_anywhere(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        m = add_member(
            actor=personas.actor(personas.network_admin),
            agency=personas.housing,
            email="housing.admin@example.org",
            role=Role.AGENCY_ADMIN,
        )
    assert m.agency == personas.housing and m.role == Role.AGENCY_ADMIN
