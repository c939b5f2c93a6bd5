"""Issuing and revoking personal API tokens. The raw token exists only in the return value."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wayfinder.accounts.actor import Actor
from wayfinder.accounts.models import Agency, Membership
from wayfinder.api.errors import TokenErrorCode as Code
from wayfinder.api.models import ApiToken, hash_token, new_raw_token
from wayfinder.audit.events import record
from wayfinder.core.errors import CodedError

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
        raise CodedError(Code.NAME_REQUIRED, _("Give the token a name."))
    if expires_at is not None and expires_at <= timezone.now():
        raise CodedError(Code.EXPIRY_IN_PAST, _("The expiry date must be in the future."))
    if active_tokens(user) >= MAX_ACTIVE_TOKENS:
        raise CodedError(
            Code.TOO_MANY_TOKENS,
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
