"""Writes to agencies, users and memberships."""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wayfinder.accounts.actor import Actor
from wayfinder.accounts.models import Agency, Membership, Role, User
from wayfinder.audit.events import record

# Agency admins may give these roles; network admins may give any.
AGENCY_ADMIN_GRANTABLE = frozenset(
    {Role.AGENCY_ADMIN, Role.NAVIGATOR, Role.PROVIDER, Role.SUPERVISOR, Role.ANALYST, Role.TRAINER}
)


@transaction.atomic
def create_agency(
    *, actor: Actor | None, name: str, kind: str, is_victim_service_provider: bool = False
) -> Agency:
    """Add an agency to the network (network admins; ``actor=None`` only for bootstrap commands)."""
    if actor is not None and not actor.is_network_admin:
        raise PermissionDenied
    if Agency.objects.filter(name__iexact=name.strip()).exists():
        raise ValidationError(
            _("An agency with this name already exists."), code="duplicate_agency"
        )
    agency = Agency.objects.create(
        name=name.strip(), kind=kind, is_victim_service_provider=is_victim_service_provider
    )
    record(
        "agency.create",
        category="accounts",
        actor=actor,
        obj=agency,
        via="command" if actor is None else "",
    )
    return agency


@transaction.atomic
def update_agency(agency: Agency, *, actor: Actor, **fields) -> Agency:
    if not actor.is_network_admin:
        raise PermissionDenied
    allowed = {
        "name",
        "kind",
        "is_victim_service_provider",
        "is_active",
        "directory_organization_id",
    }
    if set(fields) - allowed:
        raise ValueError(f"cannot change {sorted(set(fields) - allowed)}")
    for k, v in fields.items():
        setattr(agency, k, v)
    agency.save()
    record(
        "agency.update",
        category="accounts",
        actor=actor,
        obj=agency,
        detail={"fields": sorted(fields)},
    )
    return agency


def _may_manage(actor: Actor, agency: Agency, role: str) -> bool:
    if actor.is_network_admin:
        return True
    return (
        actor.is_agency_admin
        and actor.agency is not None
        and actor.agency.pk == agency.pk
        and role in AGENCY_ADMIN_GRANTABLE
    )


@transaction.atomic
def add_member(
    *,
    actor: Actor | None,
    agency: Agency,
    email: str,
    role: str,
    display_name: str = "",
    password: str | None = None,
    send_invitation: bool = True,
) -> Membership:
    """Invite a staff member: create the user if new, add the role, and e-mail a set-password link.

    ``actor=None`` is for bootstrap (``createadmin``, demo loader). The e-mail holds no client data.
    """
    if actor is not None and not _may_manage(actor, agency, role):
        raise PermissionDenied
    if role not in Role.values:
        raise ValidationError(_("Unknown role."), code="bad_role")
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, display_name=display_name)
        if password is None:
            user.set_unusable_password()
            user.save(update_fields=["password"])
    membership, created = Membership.objects.get_or_create(
        user=user, agency=agency, role=role, defaults={"invited_by": actor.user if actor else None}
    )
    if not created and not membership.is_active:
        membership.is_active, membership.deactivated_at = True, None
        membership.save(update_fields=["is_active", "deactivated_at", "updated_at"])
    record(
        "membership.add",
        category="accounts",
        actor=actor,
        obj=membership,
        agency_id=agency.pk,
        detail={"user_id": user.pk, "role": role},
    )
    if send_invitation and not user.has_usable_password():
        transaction.on_commit(lambda: _send_invitation(user, agency))
    return membership


def _send_invitation(user: User, agency: Agency) -> None:
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    send_mail(
        subject=_("You have been invited to %(network)s")
        % {"network": settings.WAYFINDER_NETWORK_NAME},
        message=_(
            "%(agency)s has invited you to %(network)s.\n\nChoose your password here:\n%(url)s\n\n"
            "You will then set up two-step sign-in."
        )
        % {
            "agency": agency.name,
            "network": settings.WAYFINDER_NETWORK_NAME,
            "url": settings.WAYFINDER_SITE_URL + path,
        },
        from_email=None,
        recipient_list=[user.email],
    )


@transaction.atomic
def deactivate_member(membership: Membership, *, actor: Actor) -> Membership:
    """Take a role away; with no active memberships left the user can no longer sign in to any agency."""
    if not _may_manage(actor, membership.agency, membership.role):
        raise PermissionDenied
    if membership.user_id == actor.user.pk and membership.role in (
        Role.AGENCY_ADMIN,
        Role.NETWORK_ADMIN,
    ):
        raise ValidationError(
            _("You cannot remove your own administrator role."), code="self_demotion"
        )
    membership.is_active = False
    membership.deactivated_at = timezone.now()
    membership.save(update_fields=["is_active", "deactivated_at", "updated_at"])
    record(
        "membership.deactivate",
        category="accounts",
        actor=actor,
        obj=membership,
        agency_id=membership.agency_id,
        detail={"user_id": membership.user_id, "role": membership.role},
    )
    return membership
