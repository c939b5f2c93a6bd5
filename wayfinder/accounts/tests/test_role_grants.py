"""Two people, or none, for casework access (issue 10, item 2).

A network admin gives no casework role (except an agency's first administrator, to someone
else); an agency admin's self-grant waits for a second admin of that agency; every grant
notifies the agency's admins with an e-mail that holds no personal data.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from wayfinder.accounts.actions import (
    add_member,
    deactivate_member,
    decide_role_request,
    request_role,
)
from wayfinder.accounts.actor import actor_for
from wayfinder.accounts.models import CASEWORK_ROLES, Membership, Role, RoleGrant
from wayfinder.audit.models import AuditEvent
from wayfinder.core.testing import staff

CASEWORK = sorted(CASEWORK_ROLES)


@pytest.fixture
def second_admin(personas):
    return staff(personas.lead, "admin.two@example.org", Role.AGENCY_ADMIN, "Bo Second")


def _no_personal_data(mail, personas):
    text = mail.subject + mail.body
    survivor = personas.survivor
    for secret in ("Ana", "Rivera", survivor.pseudonym, str(survivor.pk), "@example.org"):
        assert secret not in text
    for staff_name in ("Ada", "Bo Second", "Net Admin", "Navi"):
        assert staff_name not in text


# --- network admins --------------------------------------------------------------------------


@pytest.mark.parametrize("role", CASEWORK)
def test_network_admin_cannot_give_themself_a_casework_role(personas, role):
    for agency in (personas.lead, personas.housing):  # with, and without, an agency admin
        with pytest.raises(PermissionDenied):
            add_member(
                actor=personas.actor(personas.network_admin),
                agency=agency,
                email=personas.network_admin.email,
                role=role,
            )
    assert not Membership.objects.filter(user=personas.network_admin, role__in=CASEWORK).exists()
    assert not RoleGrant.objects.exists()


@pytest.mark.parametrize("role", CASEWORK)
def test_network_admin_cannot_give_others_a_casework_role(personas, role):
    with pytest.raises(PermissionDenied):
        add_member(
            actor=personas.actor(personas.network_admin),
            agency=personas.lead,
            email="puppet@example.org",
            role=role,
        )
    assert not Membership.objects.filter(user__email="puppet@example.org").exists()


@pytest.mark.parametrize("role", [Role.NAVIGATOR, Role.PROVIDER, Role.SUPERVISOR])
def test_network_admin_gives_no_casework_role_even_at_an_agency_without_admins(personas, role):
    with pytest.raises(PermissionDenied):
        add_member(
            actor=personas.actor(personas.network_admin),
            agency=personas.housing,
            email="puppet@example.org",
            role=role,
        )


def test_network_admin_may_still_appoint_a_new_agencys_first_admin(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        m = add_member(
            actor=personas.actor(personas.network_admin),
            agency=personas.housing,
            email="boss@example.org",
            role=Role.AGENCY_ADMIN,
        )
    assert m.is_active
    # Only once: now the agency has an admin, and it appoints the next ones.
    with pytest.raises(PermissionDenied):
        add_member(
            actor=personas.actor(personas.network_admin),
            agency=personas.housing,
            email="second.boss@example.org",
            role=Role.AGENCY_ADMIN,
        )


def test_network_admin_cannot_empty_an_agency_of_admins(personas):
    m = Membership.objects.get(user=personas.admin_a, role=Role.AGENCY_ADMIN)
    with pytest.raises(ValidationError) as exc:
        deactivate_member(m, actor=personas.actor(personas.network_admin))
    assert exc.value.code == "last_admin"


def test_network_admin_self_grant_through_the_page_is_refused_and_the_record_stays_closed(
    client, personas, mfa_off
):
    client.force_login(personas.network_admin)
    person_url = reverse("person_detail", args=[personas.survivor.pk])
    assert client.get(person_url).status_code == 404
    for url in (
        reverse("staff_invite"),
        reverse("agency_staff_invite", args=[personas.lead.pk]),
        reverse("agency_staff_invite", args=[personas.housing.pk]),
    ):
        # The form does not offer casework roles; a forged POST is refused all the same.
        offered = {v for v, _ in client.get(url).context["form"].fields["role"].choices}
        assert not offered & {Role.NAVIGATOR, Role.PROVIDER, Role.SUPERVISOR}
        for role in CASEWORK:
            response = client.post(url, {"email": personas.network_admin.email, "role": role})
            assert response.status_code == 400
    assert not Membership.objects.filter(user=personas.network_admin, role__in=CASEWORK).exists()
    assert client.get(person_url).status_code == 404


def test_the_api_has_no_way_to_give_a_role(client):
    schema = client.get("/api/openapi.json").json()
    for path in schema["paths"]:
        assert not any(word in path for word in ("member", "staff", "role", "agenc"))


# --- agency admins: a second admin approves a self-grant ---------------------------------------


def test_agency_admin_self_grant_through_add_member_is_refused(personas, second_admin):
    with pytest.raises(ValidationError) as exc:
        add_member(
            actor=personas.actor(personas.admin_a),
            agency=personas.lead,
            email=personas.admin_a.email,
            role=Role.NAVIGATOR,
        )
    assert exc.value.code == "self_grant"


def test_self_grant_waits_for_a_second_admin(
    personas, second_admin, mailoutbox, django_capture_on_commit_callbacks
):
    me = personas.actor(personas.admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        grant = request_role(actor=me, agency=personas.lead, role=Role.SUPERVISOR)
    assert grant.status == RoleGrant.Status.PENDING
    assert not Membership.objects.filter(user=personas.admin_a, role=Role.SUPERVISOR).exists()
    assert Role.SUPERVISOR not in actor_for(personas.admin_a, personas.lead).roles
    # The other admin is told, without any personal data; the requester approves nothing.
    (mail,) = mailoutbox
    assert mail.to == [second_admin.email]
    assert "waiting for your approval" in mail.subject
    _no_personal_data(mail, personas)
    with pytest.raises(ValidationError) as exc:
        decide_role_request(grant, actor=me, approve=True)
    assert exc.value.code == "own_request"
    with pytest.raises(PermissionDenied):  # other agencies' staff and network admins: no
        decide_role_request(grant, actor=personas.actor(personas.network_admin), approve=True)

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide_role_request(grant, actor=personas.actor(second_admin), approve=True)
    grant.refresh_from_db()
    assert grant.status == RoleGrant.Status.APPROVED and grant.decided_by == second_admin
    assert Role.SUPERVISOR in actor_for(personas.admin_a, personas.lead).roles
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [personas.admin_a.email, second_admin.email]
    )
    for mail in mailoutbox:
        _no_personal_data(mail, personas)
    actions = list(
        AuditEvent.objects.filter(action__startswith="membership.request").values_list(
            "action", "actor_id", "detail"
        )
    )
    assert actions == [
        (
            "membership.request",
            personas.admin_a.pk,
            {"user_id": personas.admin_a.pk, "role": "supervisor"},
        ),
        (
            "membership.request_approved",
            second_admin.pk,
            {"user_id": personas.admin_a.pk, "role": "supervisor"},
        ),
    ]
    with pytest.raises(ValidationError):
        decide_role_request(grant, actor=personas.actor(second_admin), approve=False)


def test_a_refused_self_grant_gives_nothing(personas, second_admin):
    grant = request_role(
        actor=personas.actor(personas.admin_a), agency=personas.lead, role=Role.PROVIDER
    )
    decide_role_request(grant, actor=personas.actor(second_admin), approve=False)
    assert RoleGrant.objects.get().status == RoleGrant.Status.REFUSED
    assert not Membership.objects.filter(user=personas.admin_a, role=Role.PROVIDER).exists()
    assert AuditEvent.objects.filter(action="membership.request_refused").count() == 1


def test_no_second_admin_no_self_grant(personas):
    with pytest.raises(ValidationError) as exc:
        request_role(
            actor=personas.actor(personas.admin_a), agency=personas.lead, role=Role.NAVIGATOR
        )
    assert exc.value.code == "no_second_admin"
    assert not RoleGrant.objects.exists()


def test_self_grant_through_the_pages(client, personas, second_admin, mfa_off):
    client.force_login(personas.admin_a)
    response = client.post(
        reverse("staff_invite"), {"email": personas.admin_a.email, "role": Role.SUPERVISOR}
    )
    assert response.status_code == 302
    grant = RoleGrant.objects.get(status=RoleGrant.Status.PENDING)
    page = client.get(reverse("staff_list")).content.decode()
    assert "Waiting for another administrator" in page
    assert reverse("staff_request_approve", args=[grant.pk]) not in page
    # The requester cannot approve by forging the POST.
    client.post(reverse("staff_request_approve", args=[grant.pk]))
    assert RoleGrant.objects.get(pk=grant.pk).status == RoleGrant.Status.PENDING

    client.force_login(second_admin)
    page = client.get(reverse("staff_list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Roles en espera de aprobación" in page and "Aprobar" in page
    page = client.get(reverse("staff_list")).content.decode()
    assert reverse("staff_request_approve", args=[grant.pk]) in page
    assert reverse("staff_request_refuse", args=[grant.pk]) in page
    response = client.post(reverse("staff_request_approve", args=[grant.pk]))
    assert response.status_code == 302
    assert Membership.objects.filter(
        user=personas.admin_a, role=Role.SUPERVISOR, is_active=True
    ).exists()
    assert "Recent role grants" in client.get(reverse("staff_list")).content.decode()


def test_self_grant_page_explains_when_there_is_no_second_admin(client, personas, mfa_off):
    client.force_login(personas.admin_a)
    response = client.post(
        reverse("staff_invite"), {"email": personas.admin_a.email, "role": Role.SUPERVISOR}
    )
    assert response.status_code == 400
    assert "no other administrator" in response.content.decode()


def test_outsiders_cannot_decide(client, personas, second_admin, mfa_off):
    grant = request_role(
        actor=personas.actor(personas.admin_a), agency=personas.lead, role=Role.PROVIDER
    )
    for who in (personas.outsider_c, personas.navigator_a, personas.network_admin):
        client.force_login(who)
        assert client.post(reverse("staff_request_approve", args=[grant.pk])).status_code == 404
    assert RoleGrant.objects.get(pk=grant.pk).status == RoleGrant.Status.PENDING


# --- every grant notifies the agency's admins ------------------------------------------------


def test_every_grant_notifies_the_agency_admins_without_personal_data(
    personas, second_admin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_member(
            actor=personas.actor(personas.admin_a),
            agency=personas.lead,
            email="navigator.a@example.org",
            role=Role.SUPERVISOR,
        )
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [personas.admin_a.email, second_admin.email]
    )
    for mail in mailoutbox:
        assert mail.subject == "A role was granted at your agency in Wayfinder"
        assert "/staff/" in mail.body
        _no_personal_data(mail, personas)
    (row,) = RoleGrant.objects.all()
    assert row.status == RoleGrant.Status.GRANTED and row.requested_by == personas.admin_a
    assert row.membership.user == personas.navigator_a
