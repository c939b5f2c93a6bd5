import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wayfinder.accounts.models import Agency
from wayfinder.core.models import BaseModel

TOKEN_PREFIX = "wf_"  # noqa: S105 - a label, not a secret


def hash_token(raw: str) -> str:
    # Tokens are 256-bit random strings, so a plain SHA-256 is enough (no need for a slow KDF).
    return hashlib.sha256(raw.encode()).hexdigest()


def new_raw_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiToken(BaseModel):
    """A personal API token: hashed at rest, acting for one user at one agency."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12)  # first characters, to tell tokens apart in lists
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
