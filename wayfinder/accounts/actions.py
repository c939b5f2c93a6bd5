"""Writes to agencies, users and memberships."""

from __future__ import annotations

from datetime import datetime

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wayfinder.accounts.actor import Actor
from wayfinder.accounts.errors import AccountErrorCode as Code
from wayfinder.accounts.errors import TokenErrorCode as TokenCode
from wayfinder.accounts.models import (
    CASEWORK_ROLES,
    Agency,
    ApiToken,
    Membership,
    Role,
    RoleGrant,
    User,
    hash_token,
    new_raw_token,
)
from wayfinder.audit.events import record
from wayfinder.core.errors import CodedError

# Agency admins may give these roles at their own agency. Network admins may give the roles that
# see no person (network admin, analyst, trainer) anywhere, and no casework role — except an
# agency's first administrator, to someone else, while the agency has none (see ``may_grant``).
AGENCY_ADMIN_GRANTABLE = frozenset(
    {Role.AGENCY_ADMIN, Role.NAVIGATOR, Role.PROVIDER, Role.SUPERVISOR, Role.ANALYST, Role.TRAINER}
)
AGENCY_FIELDS = frozenset(
    {"name", "kind", "is_victim_service_provider", "is_active", "directory_organization_id"}
)


def _check_unique_name(name: str, exclude: Agency | None = None) -> None:
    others = Agency.objects.filter(name__iexact=name)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise CodedError(
            Code.DUPLICATE_AGENCY, _("An agency with this name already exists."), field="name"
        )


def _check_not_own_agency(agency: Agency, actor: Actor) -> None:
    # Deactivating the agency you are working for would end your own access mid-task.
    if actor.agency is not None and actor.agency.pk == agency.pk:
        raise CodedError(
            Code.OWN_AGENCY, _("You cannot deactivate the agency you are working for.")
        )


@transaction.atomic
def create_agency(
    *, actor: Actor | None, name: str, kind: str, is_victim_service_provider: bool = False
) -> Agency:
    """Add an agency to the network (network admins; ``actor=None`` only for bootstrap commands)."""
    if actor is not None and not actor.is_network_admin:
        raise PermissionDenied
    _check_unique_name(name.strip())
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
    """Change an agency's name, kind, victim-service-provider flag or active state (network admins)."""
    if not actor.is_network_admin:
        raise PermissionDenied
    if set(fields) - AGENCY_FIELDS:
        raise ValueError(f"cannot change {sorted(set(fields) - AGENCY_FIELDS)}")
    if "name" in fields:
        fields["name"] = fields["name"].strip()
        _check_unique_name(fields["name"], exclude=agency)
    if fields.get("is_active") is False and agency.is_active:
        _check_not_own_agency(agency, actor)
    changed = sorted(k for k, v in fields.items() if getattr(agency, k) != v)
    for k in changed:
        setattr(agency, k, fields[k])
    agency.save()
    record(
        "agency.update",
        category="accounts",
        actor=actor,
        obj=agency,
        agency_id=agency.pk,
        detail={"fields": changed},
    )
    return agency


@transaction.atomic
def deactivate_agency(agency: Agency, *, actor: Actor) -> Agency:
    """Take an agency out of the network: its staff can no longer work for it. Its records stay."""
    if not actor.is_network_admin:
        raise PermissionDenied
    _check_not_own_agency(agency, actor)
    agency.is_active = False
    agency.save(update_fields=["is_active", "updated_at"])
    record("agency.deactivate", category="accounts", actor=actor, obj=agency, agency_id=agency.pk)
    return agency


def may_manage(actor: Actor, agency: Agency, role: str) -> bool:
    """May this actor give or take away ``role`` at ``agency``?"""
    if actor.is_network_admin:
        return True
    return (
        actor.is_agency_admin
        and actor.agency is not None
        and actor.agency.pk == agency.pk
        and role in AGENCY_ADMIN_GRANTABLE
    )


def _is_own_agency_admin(actor: Actor, agency: Agency) -> bool:
    return actor.is_agency_admin and actor.agency is not None and actor.agency.pk == agency.pk


def agency_admins(agency: Agency, *, exclude_user_id=None) -> list[User]:
    """The active administrators of an active agency (who approves and hears about role grants)."""
    if not agency.is_active:
        return []
    qs = User.objects.filter(
        is_active=True,
        memberships__agency=agency,
        memberships__is_active=True,
        memberships__role=Role.AGENCY_ADMIN,
    )
    if exclude_user_id is not None:
        qs = qs.exclude(pk=exclude_user_id)
    return list(qs.distinct().order_by("pk"))


def may_grant(actor: Actor, agency: Agency, role: str) -> bool:
    """May this actor give ``role`` at ``agency`` (to someone else; self-grants: ``request_role``)?

    Casework roles (they open survivors' records) come only from that agency's own admins. A
    network admin may give them nothing, with one exception so that a new agency can start: its
    first administrator, while it has no active one (and never to the network admin themself).
    """
    if _is_own_agency_admin(actor, agency) and role in AGENCY_ADMIN_GRANTABLE:
        return True
    if not actor.is_network_admin:
        return False
    if role not in CASEWORK_ROLES:
        return True
    return role == Role.AGENCY_ADMIN and not agency_admins(agency)


def grantable_roles(actor: Actor, agency: Agency) -> list[str]:
    return [r for r in Role.values if may_grant(actor, agency, r)]


def _notify_admins(agency: Agency, kind: str, *, exclude_user_id=None) -> None:
    """E-mail the agency's admins on commit; the Staff page's role-grant list is the in-app notice."""
    from wayfinder.accounts.notify import send_role_notice

    user_ids = [u.pk for u in agency_admins(agency, exclude_user_id=exclude_user_id)]
    if user_ids:
        transaction.on_commit(lambda: send_role_notice(kind, user_ids))


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
    if actor is not None and not may_grant(actor, agency, role):
        raise PermissionDenied
    if role not in Role.values:
        raise CodedError(Code.BAD_ROLE, _("Unknown role."), field="role")
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    self_grant = actor is not None and user is not None and user.pk == actor.user.pk
    if self_grant and (role in CASEWORK_ROLES or not actor.is_network_admin):
        # A network admin never gives themself casework access; an agency admin asks for it.
        if not _is_own_agency_admin(actor, agency):
            raise PermissionDenied
        raise CodedError(
            Code.SELF_GRANT,
            _(
                "You cannot give yourself a role. Ask for it instead: another administrator "
                "of this agency must approve it."
            ),
            field="email",
        )
    if user is None:
        user = User.objects.create_user(
            email=email, password=password, display_name=display_name.strip()
        )
        if password is None:
            user.set_unusable_password()
            user.save(update_fields=["password"])
    membership, created = Membership.objects.get_or_create(
        user=user, agency=agency, role=role, defaults={"invited_by": actor.user if actor else None}
    )
    if not created:
        if membership.is_active:
            raise CodedError(
                Code.ALREADY_MEMBER,
                _("This person already has this role at %(agency)s.") % {"agency": agency.name},
                field="email",
            )
        membership.is_active, membership.deactivated_at = True, None
        membership.save(update_fields=["is_active", "deactivated_at", "updated_at"])
    record(
        "membership.add",
        category="accounts",
        actor=actor,
        obj=membership,
        agency_id=agency.pk,
        detail={"user_id": user.pk, "role": role, "reactivated": not created},
        via="command" if actor is None else "",
    )
    if actor is not None:
        # Bootstrap commands (an operator at the server: createadmin, the demo) are audited only.
        RoleGrant.objects.create(
            agency=agency,
            user=user,
            role=role,
            status=RoleGrant.Status.GRANTED,
            requested_by=actor.user,
            membership=membership,
        )
    if send_invitation and not user.has_usable_password():
        transaction.on_commit(lambda: send_invitation_email(user, agency))
    if actor is not None:
        _notify_admins(agency, "granted")
    return membership


def _check_no_active_role(user: User, agency: Agency, role: str) -> None:
    if Membership.objects.filter(user=user, agency=agency, role=role, is_active=True).exists():
        raise CodedError(
            Code.ALREADY_MEMBER,
            _("This person already has this role at %(agency)s.") % {"agency": agency.name},
            field="email",
        )


@transaction.atomic
def request_role(*, actor: Actor, agency: Agency, role: str) -> RoleGrant:
    """An agency admin asks for a role for themself: pending until a second admin approves.

    Refused when the agency has no other active administrator (two people, or none).
    """
    if not _is_own_agency_admin(actor, agency) or role not in AGENCY_ADMIN_GRANTABLE:
        raise PermissionDenied
    _check_no_active_role(actor.user, agency, role)
    if RoleGrant.objects.filter(
        agency=agency, user=actor.user, role=role, status=RoleGrant.Status.PENDING
    ).exists():
        raise CodedError(
            Code.ALREADY_REQUESTED,
            _("You have already asked for this role. Another administrator must approve it."),
            field="email",
        )
    if not agency_admins(agency, exclude_user_id=actor.user.pk):
        raise CodedError(
            Code.NO_SECOND_ADMIN,
            _(
                "You cannot give yourself a role, and this agency has no other administrator "
                "who could approve it. Ask another administrator to be appointed first."
            ),
            field="email",
        )
    grant = RoleGrant.objects.create(
        agency=agency,
        user=actor.user,
        role=role,
        status=RoleGrant.Status.PENDING,
        requested_by=actor.user,
    )
    record(
        "membership.request",
        category="accounts",
        actor=actor,
        obj=grant,
        agency_id=agency.pk,
        detail={"user_id": actor.user.pk, "role": role},
    )
    _notify_admins(agency, "pending", exclude_user_id=actor.user.pk)
    return grant


@transaction.atomic
def decide_role_request(grant: RoleGrant, *, actor: Actor, approve: bool) -> RoleGrant:
    """A second admin of the agency approves (the role starts now) or refuses a pending self-grant."""
    grant = RoleGrant.objects.select_for_update().select_related("agency", "user").get(pk=grant.pk)
    if not _is_own_agency_admin(actor, grant.agency):
        raise PermissionDenied
    if grant.user_id == actor.user.pk or grant.requested_by_id == actor.user.pk:
        raise CodedError(
            Code.OWN_REQUEST, _("Another administrator must decide on your own request.")
        )
    if grant.status != RoleGrant.Status.PENDING:
        raise CodedError(Code.DECIDED, _("This request has already been decided."), status=409)
    grant.decided_by, grant.decided_at = actor.user, timezone.now()
    if approve:
        _check_no_active_role(grant.user, grant.agency, grant.role)
        membership, created = Membership.objects.get_or_create(
            user=grant.user,
            agency=grant.agency,
            role=grant.role,
            defaults={"invited_by": actor.user},
        )
        if not created:
            membership.is_active, membership.deactivated_at = True, None
            membership.save(update_fields=["is_active", "deactivated_at", "updated_at"])
        grant.status, grant.membership = RoleGrant.Status.APPROVED, membership
    else:
        grant.status = RoleGrant.Status.REFUSED
    grant.save(update_fields=["status", "decided_by", "decided_at", "membership", "updated_at"])
    record(
        "membership.request_approved" if approve else "membership.request_refused",
        category="accounts",
        actor=actor,
        obj=grant,
        agency_id=grant.agency_id,
        detail={"user_id": grant.user_id, "role": grant.role},
    )
    _notify_admins(grant.agency, "approved" if approve else "refused")
    return grant


@transaction.atomic
def resend_invitation(membership: Membership, *, actor: Actor) -> Membership:
    """Send a fresh set-password link to someone who has not yet chosen a password."""
    if not may_manage(actor, membership.agency, membership.role):
        raise PermissionDenied
    if not membership.is_active or membership.user.has_usable_password():
        raise CodedError(Code.NOT_PENDING, _("This person has already accepted their invitation."))
    record(
        "membership.invite_resent",
        category="accounts",
        actor=actor,
        obj=membership,
        agency_id=membership.agency_id,
        detail={"user_id": membership.user_id},
    )
    user, agency = membership.user, membership.agency
    transaction.on_commit(lambda: send_invitation_email(user, agency))
    return membership


def invitation_url(user: User) -> str:
    """The set-password link (allauth's password reset) that an invitation carries."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return settings.WAYFINDER_SITE_URL.rstrip("/") + path


def send_invitation_email(user: User, agency: Agency) -> None:
    """E-mail the invitation: agency, network and link only — never anything about a client."""
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    network = settings.WAYFINDER_NETWORK_NAME
    body = _(
        "%(agency)s has invited you to %(network)s.\n\n"
        "Choose your password here:\n%(url)s\n\n"
        "You will then set up two-step sign-in with an authenticator app on your phone."
    ) % {"agency": agency.name, "network": network, "url": invitation_url(user)}
    body += "\n\n" + ngettext(
        "The link works for %(days)d day. If it has expired, ask your administrator for a new one.",
        "The link works for %(days)d days. If it has expired, ask your administrator for a new one.",
        days,
    ) % {"days": days}
    send_mail(
        subject=_("You have been invited to %(network)s") % {"network": network},
        message=body,
        from_email=None,
        recipient_list=[user.email],
    )


@transaction.atomic
def deactivate_member(membership: Membership, *, actor: Actor) -> Membership:
    """Take a role away; with no active memberships left the user can no longer sign in to any agency."""
    if not may_manage(actor, membership.agency, membership.role):
        raise PermissionDenied
    if membership.user_id == actor.user.pk and membership.role in (
        Role.AGENCY_ADMIN,
        Role.NETWORK_ADMIN,
    ):
        raise CodedError(Code.SELF_DEMOTION, _("You cannot remove your own administrator role."))
    if not membership.is_active:
        return membership
    if (
        membership.role == Role.AGENCY_ADMIN
        and not _is_own_agency_admin(actor, membership.agency)
        and not agency_admins(membership.agency, exclude_user_id=membership.user_id)
    ):
        # Else a network admin could empty an agency of admins, then appoint its "first" one.
        raise CodedError(
            Code.LAST_ADMIN,
            _(
                "This is the agency's last administrator. Appoint another one first, or "
                "deactivate the agency."
            ),
        )
    membership.is_active = False
    membership.deactivated_at = timezone.now()
    membership.save(update_fields=["is_active", "deactivated_at", "updated_at"])
    if not Membership.objects.filter(
        user_id=membership.user_id, agency_id=membership.agency_id, is_active=True
    ).exists():
        # No role left at this agency: its API tokens die now, not at their next use, so giving
        # a role back later does not revive them.
        for token in ApiToken.objects.filter(
            user_id=membership.user_id, agency_id=membership.agency_id, revoked_at__isnull=True
        ).order_by("pk"):
            retire_api_token(token, reason="membership_ended", ip=actor.ip)
    record(
        "membership.deactivate",
        category="accounts",
        actor=actor,
        obj=membership,
        agency_id=membership.agency_id,
        detail={"user_id": membership.user_id, "role": membership.role},
    )
    return membership


def may_reset_two_step(actor: Actor, user: User, roles: list[Membership] | None = None) -> bool:
    """Only someone who manages every active role the person holds may reset their second factor.

    ``roles``: the person's active memberships, when the caller already has them.
    """
    if actor.user.pk == user.pk:
        return False  # people manage their own from their account page
    if actor.is_network_admin:
        return True
    if roles is None:
        roles = list(Membership.objects.filter(user=user, is_active=True).select_related("agency"))
    return bool(roles) and all(may_manage(actor, m.agency, m.role) for m in roles)


def sign_out_everywhere(user) -> None:
    """End every session of ``user`` on every device (their next request asks them to sign in).

    Not audited here: the action that calls it says why (``reset_two_step``,
    ``sign_out_other_devices``).
    """
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])


@transaction.atomic
def sign_out_other_devices(user, *, actor: Actor | None) -> None:
    """The person ends every session of theirs. The caller keeps its own session going with
    ``update_session_auth_hash`` (the view does)."""
    sign_out_everywhere(user)
    record("auth.signed_out_elsewhere", category="auth", actor=actor, user_id=user.pk, obj=user)


@transaction.atomic
def reset_two_step(membership: Membership, *, actor: Actor) -> int:
    """Remove a staff member's authenticator app and recovery codes (lost phone).

    Every session they have ends at once; they sign in with their password next time and must
    set up a new app. Returns how many authenticators were removed.
    """
    user = membership.user
    if not may_manage(actor, membership.agency, membership.role) or not may_reset_two_step(
        actor, user
    ):
        raise PermissionDenied
    removed, _ = Authenticator.objects.filter(user=user).delete()
    # Whoever holds the lost phone may also be signed in: end every session of this person.
    sign_out_everywhere(user)
    record(
        "mfa.reset_by_admin",
        category="auth",
        actor=actor,
        obj=membership,
        agency_id=membership.agency_id,
        detail={"user_id": user.pk, "removed": removed},
    )
    return removed


# --- personal API tokens: the raw token exists only in create_api_token's return value ----------

MAX_ACTIVE_TOKENS = 20  # per user: more than this is a sign of tokens being shared or forgotten
PREFIX_LENGTH = 12  # "wf_" and 9 random characters: enough to tell tokens apart, useless to guess


def active_tokens(user) -> int:
    now = timezone.now()
    return (
        ApiToken.objects.filter(user=user, revoked_at__isnull=True)
        .exclude(expires_at__lte=now)
        .count()
    )


@transaction.atomic
def create_api_token(
    *, actor: Actor, agency: Agency, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Issue a token acting for the actor's user at ``agency``; returns (token, raw token)."""
    user = actor.user
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    if not Membership.objects.filter(
        user=user, agency=agency, is_active=True, agency__is_active=True
    ).exists():
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise CodedError(TokenCode.NAME_REQUIRED, _("Give the token a name."))
    if expires_at is not None and expires_at <= timezone.now():
        raise CodedError(TokenCode.EXPIRY_IN_PAST, _("The expiry date must be in the future."))
    if active_tokens(user) >= MAX_ACTIVE_TOKENS:
        raise CodedError(
            TokenCode.TOO_MANY_TOKENS,
            _("You already have %(n)d active tokens. Revoke one you no longer use first.")
            % {"n": MAX_ACTIVE_TOKENS},
        )
    raw = new_raw_token()
    token = ApiToken.objects.create(
        user=user,
        agency=agency,
        name=name,
        prefix=raw[:PREFIX_LENGTH],
        token_hash=hash_token(raw),
        expires_at=expires_at,
    )
    record(
        "api_token.create",
        category="api",
        actor=actor,
        obj=token,
        agency_id=agency.pk,
        detail={"prefix": token.prefix, "expires": expires_at.isoformat() if expires_at else None},
    )
    return token, raw


@transaction.atomic
def revoke_api_token(token: ApiToken, *, actor: Actor) -> ApiToken:
    """Revoke one of the actor's own tokens at once; revoking twice changes nothing."""
    if token.user_id != actor.user.pk:
        raise PermissionDenied
    now = timezone.now()
    # A conditional update: two revocations racing each other write one audit event.
    if not ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now, updated_at=now
    ):
        token.refresh_from_db()
        return token
    token.revoked_at = now
    record(
        "api_token.revoke",
        category="api",
        actor=actor,
        obj=token,
        agency_id=token.agency_id,
        detail={"prefix": token.prefix, "reason": "revoked"},
    )
    return token


@transaction.atomic
def retire_api_token(token: ApiToken, *, reason: str, ip: str | None = None) -> None:
    """Revoke a token for good when the system finds it may no longer act (membership ended)."""
    now = timezone.now()
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now, updated_at=now
    ):
        record(
            "api_token.revoke",
            category="api",
            user_id=token.user_id,
            agency_id=token.agency_id,
            obj=token,
            detail={"prefix": token.prefix, "reason": reason},
            ip=ip,
            via="api",
        )
