"""The survivor's own door: portal accounts (not staff users), invitations, tokens, notices.

A ``PortalAccount`` is not a ``User``: it has no membership, no role and no agency, so no
``Actor`` can ever be built from it, and the staff pages and the staff API (which only know
``request.user`` and ``ApiToken``) cannot see it. See docs/portal.md.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wayfinder.accounts.models import Agency
from wayfinder.core.models import BaseModel
from wayfinder.people.models import Person

# No 0/O, 1/I/L: read aloud and typed from paper without mistakes.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PORTAL_TOKEN_PREFIX = "wfp_"  # noqa: S105 - a label, not a secret; staff tokens are "wf_"


def random_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def group(code: str) -> str:
    """``ABCDEFGH`` → ``ABCD-EFGH``: easier to copy from paper."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_code(raw: str) -> str:
    # Codes are long random strings: a keyed SHA-256 is enough (no slow KDF needed).
    key = str(settings.SECRET_KEY).encode()
    return hashlib.sha256(key + b"|portal|" + normalise(raw).encode()).hexdigest()


def new_door() -> str:
    return random_code(8)


class SecretKind(models.TextChoices):
    PIN = "pin", _("A 6-digit PIN")
    PASSPHRASE = "passphrase", _("A passphrase")


class PortalAccount(BaseModel):
    """One person's way in. The door number is printed for them; it names no one."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="portal_account")
    door = models.CharField(max_length=12, unique=True, default=new_door, editable=False)
    secret_hash = models.CharField(max_length=256, blank=True)  # make_password; "" = not set up
    secret_kind = models.CharField(max_length=12, choices=SecretKind.choices, blank=True)
    recovery_hashes = models.JSONField(default=list, blank=True)  # hash_code of each unused code
    page_title = models.CharField(max_length=40, blank=True)  # "" = the neutral default
    language = models.CharField(max_length=8, blank=True)  # a Django language code
    # Every portal session carries the version it started under; bumping it ends them all.
    session_version = models.PositiveIntegerField(default=1)
    locked_at = models.DateTimeField(null=True, blank=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    @property
    def is_ready(self) -> bool:
        return bool(self.secret_hash) and self.locked_at is None


class PortalInvitation(BaseModel):
    """A one-time code, given in person; it lets the person set (or reset) their PIN."""

    account = models.ForeignKey(PortalAccount, on_delete=models.CASCADE, related_name="invitations")
    code_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")


class PortalToken(BaseModel):
    """A portal API token: its own type (``wfp_``), for the person's own endpoints only."""

    account = models.ForeignKey(PortalAccount, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    revoked_at = models.DateTimeField(null=True, blank=True)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class NoticeKind(models.TextChoices):
    LOCKED = "locked", _("The person locked their portal door: give them a new code in person.")
    CONSENT_REQUEST = "consent_request", _("The person asks to talk about a new consent.")
    WITHDREW = "withdrew", _("The person withdrew a consent in the portal.")


class PortalNotice(BaseModel):
    """Something the person asked of their navigator from the portal (shown on the record)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="portal_notices")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
