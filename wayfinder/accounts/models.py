import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from wayfinder.core.models import BaseModel


class AgencyKind(models.TextChoices):
    LEAD = "lead", _("Lead anti-trafficking agency")
    LEGAL_AID = "legal_aid", _("Legal aid")
    HOUSING = "housing", _("Housing")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SUBSTANCE_USE = "substance_use", _("Substance use treatment")
    HEALTH = "health", _("Health care")
    VOCATIONAL = "vocational", _("Vocational training and employment")
    MENTORING = "mentoring", _("Mentoring")
    COMMUNITY = "community", _("Community or faith organisation")
    LAW_ENFORCEMENT_VS = "law_enforcement_vs", _("Law-enforcement victim services")
    GOVERNMENT = "government", _("Government")


class Agency(BaseModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=AgencyKind.choices)
    is_victim_service_provider = models.BooleanField(
        _("victim service provider"),
        default=False,
        help_text=_("VAWA/FVPSA rules apply: no client data may go to HMIS."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Optional link to the agency's listing in the service directory (HSDS organization id).
    directory_organization_id = models.CharField(max_length=250, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in: staff of an agency (or, later, a survivor using the portal)."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    preferred_language = models.CharField(_("language"), max_length=8, default="en")
    # Raised to end every session of this person at once ("sign out everywhere"): it is part of
    # the session's auth hash, which Django checks on every request.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.display_name or self.email

    def _get_session_auth_hash(self, secret=None):
        # Overrides Django's (used for the current key and each SECRET_KEY_FALLBACKS entry), so an
        # old session cannot slip through with a fallback key. Epoch 0 keeps Django's own hash.
        base = super()._get_session_auth_hash(secret=secret)
        if not self.session_epoch:
            return base
        return salted_hmac(
            "wayfinder.accounts.User.session_epoch",
            f"{base}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class Role(models.TextChoices):
    NETWORK_ADMIN = "network_admin", _("Network administrator")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    NAVIGATOR = "navigator", _("Navigator (case manager)")
    PROVIDER = "provider", _("Partner staff")
    SUPERVISOR = "supervisor", _("Supervisor")
    ANALYST = "analyst", _("Analyst (de-identified data only)")
    TRAINER = "trainer", _("Trainer / outreach")


# Roles that work with survivors' records at their own agency.
CASEWORK_ROLES = frozenset({Role.AGENCY_ADMIN, Role.NAVIGATOR, Role.PROVIDER, Role.SUPERVISOR})
# Roles that may take in a new person.
INTAKE_ROLES = frozenset({Role.AGENCY_ADMIN, Role.NAVIGATOR, Role.SUPERVISOR})


class Membership(BaseModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deactivated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agency__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="uniq_membership")
        ]

    def __str__(self):
        return f"{self.user} @ {self.agency} ({self.role})"

    @property
    def is_casework(self) -> bool:
        return self.role in CASEWORK_ROLES


# --- personal API tokens ----------------------------------------------------------------------

TOKEN_PREFIX = "wf_"  # noqa: S105 - a label, not a secret


def hash_token(raw: str) -> str:
    # Tokens are 256-bit random strings, so a plain SHA-256 is enough (no need for a slow KDF).
    return hashlib.sha256(raw.encode()).hexdigest()


def new_raw_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiToken(BaseModel):
    """A personal API token: hashed at rest, acting for one user at one agency."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
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


class RoleGrant(BaseModel):
    """One role given (or asked for) at an agency: the agency admins' record of who got which role.

    A self-grant by an agency admin starts ``pending`` and gives nothing until a *second* admin
    of that agency approves it; every other grant is ``granted`` at once. The rows are also the
    in-app notice on the Staff page (no client data: staff, agency, role, who, when).
    """

    class Status(models.TextChoices):
        GRANTED = "granted", _("Granted")
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="role_grants")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    status = models.CharField(max_length=16, choices=Status.choices)
    requested_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["agency", "status"], name="rolegrant_agency_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "user", "role"],
                condition=models.Q(status="pending"),
                name="uniq_pending_role_grant",
            )
        ]
