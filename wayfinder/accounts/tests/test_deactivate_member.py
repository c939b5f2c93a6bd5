"""deactivate_member: an admin takes a role away; audited; never their own admin role."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wayfinder.accounts.actions import deactivate_member, resend_invitation
from wayfinder.accounts.actor import actor_for
from wayfinder.accounts.models import Membership, Role
from wayfinder.audit.models import AuditEvent


def membership(user, agency):
    return Membership.objects.get(user=user, agency=agency)


def test_admin_removes_a_role(personas):
    m = deactivate_member(
        membership(personas.navigator_a, personas.lead), actor=personas.actor(personas.admin_a)
    )
    m.refresh_from_db()
    assert not m.is_active and m.deactivated_at is not None
    event = AuditEvent.objects.get(action="membership.deactivate")
    assert event.object_id == str(m.pk)
    assert event.detail == {"user_id": personas.navigator_a.pk, "role": "navigator"}
    # The role is gone at once: the actor built for the next request has none.
    assert actor_for(personas.navigator_a, personas.lead).roles == frozenset()


def test_admin_cannot_remove_own_admin_role(personas):
    with pytest.raises(ValidationError) as exc:
        deactivate_member(
            membership(personas.admin_a, personas.lead), actor=personas.actor(personas.admin_a)
        )
    assert exc.value.code == "self_demotion"


def test_agency_admin_cannot_touch_other_agencies_or_network_admins(personas):
    admin = personas.actor(personas.admin_a)
    with pytest.raises(PermissionDenied):
        deactivate_member(membership(personas.outsider_c, personas.housing), actor=admin)
    with pytest.raises(PermissionDenied):
        deactivate_member(membership(personas.network_admin, personas.lead), actor=admin)


def test_navigator_cannot_remove_roles(personas):
    with pytest.raises(PermissionDenied):
        deactivate_member(
            membership(personas.analyst, personas.lead), actor=personas.actor(personas.navigator_a)
        )


def test_removing_twice_writes_one_event(personas):
    admin = personas.actor(personas.admin_a)
    m = membership(personas.analyst, personas.lead)
    deactivate_member(m, actor=admin)
    deactivate_member(m, actor=admin)
    assert AuditEvent.objects.filter(action="membership.deactivate").count() == 1


def test_resend_only_for_pending_invitations(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    from wayfinder.accounts.actions import add_member

    admin = personas.actor(personas.admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        pending = add_member(
            actor=admin, agency=personas.lead, email="p@example.org", role=Role.TRAINER
        )
        resend_invitation(pending, actor=admin)
    invitations = [m for m in mailoutbox if m.to == ["p@example.org"]]
    assert len(invitations) == 2
    assert AuditEvent.objects.filter(action="membership.invite_resent").count() == 1
    with pytest.raises(ValidationError):
        resend_invitation(membership(personas.navigator_a, personas.lead), actor=admin)


def test_removing_the_last_role_revokes_api_tokens_at_once(personas):
    """Giving a role back later must not revive a token made under the old one."""
    from wayfinder.accounts.actions import add_member, deactivate_member
    from wayfinder.accounts.models import ApiToken, Membership, hash_token, new_raw_token

    raw = new_raw_token()
    ApiToken.objects.create(
        user=personas.navigator_a,
        agency=personas.lead,
        name="sync",
        prefix=raw[:12],
        token_hash=hash_token(raw),
    )
    membership = Membership.objects.get(user=personas.navigator_a, agency=personas.lead)
    deactivate_member(membership, actor=personas.actor(personas.admin_a))
    assert ApiToken.objects.get(token_hash=hash_token(raw)).revoked_at is not None
    add_member(
        actor=personas.actor(personas.admin_a),
        agency=personas.lead,
        email=personas.navigator_a.email,
        role="navigator",
        send_invitation=False,
    )
    assert not ApiToken.objects.get(token_hash=hash_token(raw)).is_usable
