"""Staff pages: agency admins see and manage their own agency's staff; others get 404."""

import pytest
from django.urls import reverse

from wayfinder.accounts.actions import add_member
from wayfinder.accounts.models import Membership, Role
from wayfinder.accounts.tests.conftest import give_totp
from wayfinder.audit.models import AuditEvent


@pytest.fixture
def admin_client(login, personas, mfa_off):
    return login(personas.admin_a)


def test_staff_list_shows_name_email_role_status_mfa_and_last_sign_in(
    admin_client, personas, django_assert_max_num_queries
):
    give_totp(personas.navigator_a)
    with django_assert_max_num_queries(11):
        response = admin_client.get(reverse("staff_list"))
    assert response.status_code == 200
    rows = {m.user.email: m for m in response.context["memberships"]}
    assert set(rows) == {
        "navigator.a@example.org",
        "admin.a@example.org",
        "analyst@example.org",
        "network.admin@example.org",
    }
    assert rows["navigator.a@example.org"].has_mfa is True
    assert rows["analyst@example.org"].has_mfa is False
    html = response.content.decode()
    assert "Navi Gator" in html and "Navigator (case manager)" in html
    assert "outsider.c@example.org" not in html  # another agency's staff


def test_staff_list_query_count_does_not_grow_with_staff(
    admin_client, personas, django_assert_max_num_queries
):
    for i in range(15):
        member = add_member(
            actor=None,
            agency=personas.lead,
            email=f"s{i}@example.org",
            role=Role.PROVIDER,
            send_invitation=False,
        )
        give_totp(member.user)
    with django_assert_max_num_queries(11):
        assert admin_client.get(reverse("staff_list")).status_code == 200


def test_admin_invites_through_the_form(
    admin_client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("staff_invite"),
            {"email": "jo@example.org", "display_name": "Jo", "role": Role.SUPERVISOR},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("staff_list")
    assert Membership.objects.get(user__email="jo@example.org").role == Role.SUPERVISOR
    assert [m.to for m in mailoutbox] == [["jo@example.org"], ["admin.a@example.org"]]


def test_invite_form_errors_are_shown_not_500(admin_client, personas):
    response = admin_client.post(reverse("staff_invite"), {"email": "not-an-email", "role": "x"})
    assert response.status_code == 400
    form = response.context["form"]
    assert "email" in form.errors and "role" in form.errors
    response = admin_client.post(
        reverse("staff_invite"), {"email": "navigator.a@example.org", "role": Role.NAVIGATOR}
    )
    assert response.status_code == 400
    assert "already has this role" in response.content.decode()


def test_agency_admin_cannot_offer_network_admin_role(admin_client):
    response = admin_client.get(reverse("staff_invite"))
    values = [v for v, _label in response.context["form"].fields["role"].choices]
    assert Role.NETWORK_ADMIN not in values
    response = admin_client.post(
        reverse("staff_invite"), {"email": "x@example.org", "role": Role.NETWORK_ADMIN}
    )
    assert response.status_code == 400


def test_admin_removes_a_role_after_confirming(admin_client, personas):
    m = Membership.objects.get(user=personas.navigator_a)
    url = reverse("staff_deactivate", args=[m.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and "Remove a role" in page.content.decode()
    m.refresh_from_db()
    assert m.is_active  # GET changes nothing
    response = admin_client.post(url)
    assert response.status_code == 302
    m.refresh_from_db()
    assert not m.is_active
    assert AuditEvent.objects.filter(action="membership.deactivate").count() == 1


def test_own_admin_role_cannot_be_removed_and_says_why(admin_client, personas):
    m = Membership.objects.get(user=personas.admin_a)
    response = admin_client.post(reverse("staff_deactivate", args=[m.pk]))
    assert response.status_code == 400
    assert "You cannot remove your own administrator role." in response.content.decode()


def test_resend_invitation(admin_client, personas, mailoutbox, django_capture_on_commit_callbacks):
    pending = add_member(
        actor=None,
        agency=personas.lead,
        email="p@example.org",
        role=Role.TRAINER,
        send_invitation=False,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("staff_resend", args=[pending.pk]))
    assert response.status_code == 302
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("who", ["navigator_a", "analyst", "outsider_c", "lawyer_b"])
def test_non_admins_get_404(client, personas, mfa_off, who):
    client.force_login(getattr(personas, who))
    m = Membership.objects.get(user=personas.navigator_a)
    assert client.get(reverse("staff_list")).status_code == 404
    assert client.get(reverse("staff_invite")).status_code == 404
    assert (
        client.post(reverse("staff_invite"), {"email": "a@b.org", "role": "navigator"}).status_code
        == 404
    )
    assert client.post(reverse("staff_deactivate", args=[m.pk])).status_code == 404
    assert client.post(reverse("staff_resend", args=[m.pk])).status_code == 404
    m.refresh_from_db()
    assert m.is_active


def test_admin_of_another_agency_gets_404_for_our_staff(client, personas, mfa_off):
    other_admin = add_member(
        actor=None,
        agency=personas.housing,
        email="h.admin@example.org",
        role=Role.AGENCY_ADMIN,
        password="another-long-password",
        send_invitation=False,
    ).user
    client.force_login(other_admin)
    m = Membership.objects.get(user=personas.navigator_a)
    assert client.get(reverse("staff_deactivate", args=[m.pk])).status_code == 404
    assert client.post(reverse("staff_deactivate", args=[m.pk])).status_code == 404
    assert client.get(reverse("agency_staff_list", args=[personas.lead.pk])).status_code == 404
    staff = client.get(reverse("staff_list")).context["memberships"]
    assert {m.user.email for m in staff} == {"outsider.c@example.org", "h.admin@example.org"}


def test_network_admin_manages_staff_of_any_agency(
    client, personas, mfa_off, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(personas.network_admin)
    response = client.get(reverse("agency_staff_list", args=[personas.housing.pk]))
    assert response.status_code == 200
    assert [m.user for m in response.context["memberships"]] == [personas.outsider_c]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("agency_staff_invite", args=[personas.housing.pk]),
            {"email": "boss@example.org", "role": Role.AGENCY_ADMIN},
        )
    assert response["Location"] == reverse("agency_staff_list", args=[personas.housing.pk])
    assert Membership.objects.filter(
        user__email="boss@example.org", agency=personas.housing, role=Role.AGENCY_ADMIN
    ).exists()


def test_staff_pages_in_spanish(admin_client):
    response = admin_client.get(reverse("staff_list"), HTTP_ACCEPT_LANGUAGE="es")
    html = response.content.decode()
    assert "Personal de Harbor Light Alliance" in html
    assert "Invitar a un miembro del personal" in html
