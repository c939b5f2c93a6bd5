"""An admin resets the second factor of a staff member who lost their phone; audited; limited."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from wayfinder.accounts.actions import add_member, reset_two_step
from wayfinder.accounts.models import Membership, Role
from wayfinder.accounts.tests.conftest import give_totp, has_totp
from wayfinder.audit.models import AuditEvent
from wayfinder.core.testing import PASSWORD


def membership(user, agency=None):
    qs = Membership.objects.filter(user=user)
    return (qs.filter(agency=agency) if agency else qs).get()


def test_admin_resets_and_the_person_must_set_up_a_new_app(client, personas):
    give_totp(personas.navigator_a)
    removed = reset_two_step(
        membership(personas.navigator_a), actor=personas.actor(personas.admin_a)
    )
    assert removed == 2  # the app and the recovery codes
    assert not has_totp(personas.navigator_a)
    event = AuditEvent.objects.get(action="mfa.reset_by_admin")
    assert event.actor_id == personas.admin_a.pk
    assert event.detail == {"user_id": personas.navigator_a.pk, "removed": 2}
    response = client.post(
        reverse("account_login"), {"login": personas.navigator_a.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("my_account"))["Location"] == reverse("mfa_activate_totp")


def test_a_reset_signs_the_person_out_on_every_device(client, personas, settings):
    from django.test import Client

    settings.SECRET_KEY_FALLBACKS = ["an-older-key-" + "x" * 40]
    give_totp(personas.navigator_a)
    phone, laptop = Client(), Client()
    for device in (phone, laptop):
        device.force_login(personas.navigator_a)
        assert device.get(reverse("my_account")).status_code == 200
    others = Client()
    give_totp(personas.admin_a)
    others.force_login(personas.admin_a)
    reset_two_step(membership(personas.navigator_a), actor=personas.actor(personas.admin_a))
    for device in (phone, laptop):
        response = device.get(reverse("my_account"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    # Only that person: the admin's own session goes on.
    assert others.get(reverse("my_account")).status_code == 200


def test_a_person_signs_out_their_other_devices_and_stays_signed_in_here(personas):
    from django.test import Client

    give_totp(personas.navigator_a)
    here, lost_phone = Client(), Client()
    for device in (here, lost_phone):
        device.force_login(personas.navigator_a)
    page = here.get(reverse("my_account")).content.decode()
    assert "Sign out on every other device" in page
    assert here.get(reverse("sign_out_elsewhere")).status_code == 405
    response = here.post(reverse("sign_out_elsewhere"), follow=True)
    assert "You are signed out on every other device." in response.content.decode()
    assert here.get(reverse("my_account")).status_code == 200
    assert lost_phone.get(reverse("my_account"))["Location"].startswith(reverse("account_login"))
    event = AuditEvent.objects.get(action="auth.signed_out_elsewhere")
    assert event.actor_id == personas.navigator_a.pk


def test_not_for_someone_with_a_role_the_admin_does_not_manage(personas):
    # The network admin also works at the lead agency; its agency admin may not weaken their account.
    give_totp(personas.network_admin)
    m = membership(personas.network_admin)
    with pytest.raises(PermissionDenied):
        reset_two_step(m, actor=personas.actor(personas.admin_a))
    # Nor for a navigator who also holds a role at another agency.
    add_member(
        actor=None,
        agency=personas.housing,
        email=personas.navigator_a.email,
        role=Role.PROVIDER,
        send_invitation=False,
    )
    give_totp(personas.navigator_a)
    with pytest.raises(PermissionDenied):
        reset_two_step(
            membership(personas.navigator_a, personas.lead), actor=personas.actor(personas.admin_a)
        )
    assert has_totp(personas.navigator_a) and has_totp(personas.network_admin)


def test_not_for_yourself_and_not_for_non_admins(personas):
    give_totp(personas.admin_a)
    give_totp(personas.analyst)
    with pytest.raises(PermissionDenied):
        reset_two_step(membership(personas.admin_a), actor=personas.actor(personas.admin_a))
    with pytest.raises(PermissionDenied):
        reset_two_step(membership(personas.analyst), actor=personas.actor(personas.navigator_a))


def test_network_admin_may_reset_anyone_else(personas):
    give_totp(personas.admin_a)
    reset_two_step(membership(personas.admin_a), actor=personas.actor(personas.network_admin))
    assert not has_totp(personas.admin_a)


def test_through_the_pages(client, personas, mfa_off, django_assert_max_num_queries):
    give_totp(personas.navigator_a)
    give_totp(personas.network_admin)
    client.force_login(personas.admin_a)
    with django_assert_max_num_queries(11):
        page = client.get(reverse("staff_list"))
    rows = {m.user: m for m in page.context["memberships"]}
    assert rows[personas.navigator_a].may_reset
    assert not rows[personas.network_admin].may_reset  # has a role admin_a does not manage
    assert not rows[personas.analyst].may_reset  # no second factor to reset
    url = reverse("staff_reset_two_step", args=[membership(personas.navigator_a).pk])
    assert client.get(url).status_code == 200
    assert has_totp(personas.navigator_a)
    assert client.post(url).status_code == 302
    assert not has_totp(personas.navigator_a)
    other = reverse("staff_reset_two_step", args=[membership(personas.network_admin).pk])
    assert client.post(other).status_code == 404


@pytest.mark.parametrize("who", ["navigator_a", "outsider_c"])
def test_others_get_404(client, personas, mfa_off, who):
    give_totp(personas.analyst)
    client.force_login(getattr(personas, who))
    url = reverse("staff_reset_two_step", args=[membership(personas.analyst).pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert has_totp(personas.analyst)
