"""Consent: one recipient agency, some purposes, some data categories, for a limited time.

The consent is what lets another agency see part of a person's record (see ``access.gate``).
Nothing about it is checked once and remembered: every read asks again whether a consent is
active *now* (``valid_from <= now < expires_at`` and not revoked).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wayfinder.accounts.models import Agency
from wayfinder.consent.wording import CATEGORY_LABELS
from wayfinder.core.categories import Category
from wayfinder.core.interpretation import InterpretationFields
from wayfinder.core.models import BaseModel
from wayfinder.people.models import Person

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Purpose(models.TextChoices):
    REFERRAL = "referral", _("Referring you to their services")
    CARE_COORDINATION = "care_coordination", _("Working together on your care")
    REPORTING = "reporting", _("Reporting to funders (without your name)")
    CASE_CONFERENCING = "case_conferencing", _("Discussing your case in team meetings")


class Method(models.TextChoices):
    WRITTEN = "written", _("Written: signed on paper")
    ELECTRONIC_SIGNATURE = "electronic_signature", _("Electronic signature")
    VERBAL_WITNESSED = "verbal_witnessed", _("Spoken, with a witness")


class GrantorCapacity(models.TextChoices):
    SELF = "self", _("The person themself")
    GUARDIAN_OF_MINOR = "guardian_of_minor", _("Parent or guardian of a minor")
    COURT_GUARDIAN = "court_guardian", _("Court-appointed guardian")


class SignatureKind(models.TextChoices):
    UPLOAD = "upload", _("Scan or photo of the signed paper form")
    DRAWN = "drawn", _("Signature drawn on screen")
    TYPED = "typed", _("Name typed as a signature")
    WITNESSED = "witnessed", _("Spoken agreement confirmed by a witness")


class RevocationChannel(models.TextChoices):
    IN_PERSON = "in_person", _("Said in person")
    PHONE = "phone", _("Said on the phone")
    WRITTEN = "written", _("In writing (letter or signed form)")
    ELECTRONIC = "electronic", _("By e-mail, text message or other message")
    VIA_PARTNER = "via_partner", _("Told to staff of another agency")
    SURVIVOR_PORTAL = "survivor_portal", _("By the person, in the survivor portal")


class ConsentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PENDING = "pending", _("Not started yet")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Withdrawn")


# The methods that carry a signature; 42 CFR §2.31 needs one for substance use records.
SIGNED_METHODS = {Method.WRITTEN, Method.ELECTRONIC_SIGNATURE}


def json_token(code: str) -> str:
    """How one code appears inside a JSON list: a portable ``__icontains`` match for it."""
    return f'"{code}"'


class ConsentQuerySet(models.QuerySet):
    def active(self, now=None) -> ConsentQuerySet:
        """Consents that allow sharing at this moment."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, valid_from__lte=now, expires_at__gt=now)

    def ended(self, now=None) -> ConsentQuerySet:
        """Consents that were once in force and are not any more (revoked or past expiry)."""
        now = now or timezone.now()
        return self.filter(Q(revoked_at__isnull=False) | Q(expires_at__lte=now))

    def for_purpose(self, purpose: str) -> ConsentQuerySet:
        # JSON lists of fixed codes: the quoted code cannot match part of another code.
        return self.filter(purposes__icontains=json_token(purpose))

    def naming(self, agency_id) -> ConsentQuerySet:
        return self.filter(recipient_agency_id=agency_id)


class Consent(InterpretationFields, BaseModel):
    """A person's permission for one agency to see some categories of their record, for a time."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    disclosing_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("shared by")
    )
    recipient_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="consents_received",
        verbose_name=_("shared with"),
    )
    purposes = models.JSONField(_("purposes"), default=list)  # Purpose values
    categories = models.JSONField(_("information"), default=list)  # Category values
    valid_from = models.DateTimeField(_("valid from"))
    expires_at = models.DateTimeField(_("ends"))
    method = models.CharField(_("how consent was given"), max_length=24, choices=Method.choices)
    language = models.CharField(_("language of the conversation"), max_length=3)  # ISO 639-3
    form_language = models.CharField(_("language of the form"), max_length=8)  # Django code
    interpreter_used = models.BooleanField(_("an interpreter helped"), default=False)
    grantor_capacity = models.CharField(
        _("who gave consent"), max_length=24, choices=GrantorCapacity.choices
    )
    minor_assent = models.BooleanField(_("the young person agreed too"), default=False)
    signature_kind = models.CharField(_("signature"), max_length=12, choices=SignatureKind.choices)
    signed_at = models.DateTimeField(_("signed"))
    # Sealed under the person's key: grantor and witness names, typed or drawn signature, the
    # §2.31 description of substance use information. Never in plain columns.
    sealed_ct = models.BinaryField(null=True, editable=False)
    # An uploaded signed form: encrypted bytes in the database, never under MEDIA_ROOT.
    artifact_ct = models.BinaryField(null=True, editable=False)
    artifact_content_type = models.CharField(max_length=40, blank=True)
    artifact_size = models.PositiveIntegerField(null=True, blank=True)
    # True only when the consent names substance_use *and* carries every §2.31 element.
    part2 = models.BooleanField(default=False, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    revoked_via = models.CharField(
        _("how the withdrawal was received"),
        max_length=16,
        choices=RevocationChannel.choices,
        blank=True,
    )
    revoked_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("withdrawal recorded by"),
    )
    revoked_recorded_at_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        indexes = [
            models.Index(fields=["recipient_agency", "person"], name="consent_recipient_person"),
            models.Index(fields=["person", "-created_at"], name="consent_person_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("valid_from")),
                name="consent_expires_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(recipient_agency=models.F("disclosing_agency")),
                name="consent_recipient_is_another_agency",
            ),
        ]

    def __str__(self):
        return f"{self.person.pseudonym} → {self.recipient_agency}"

    def status(self, now=None) -> str:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return ConsentStatus.REVOKED
        if self.expires_at <= now:
            return ConsentStatus.EXPIRED
        if self.valid_from > now:
            return ConsentStatus.PENDING
        return ConsentStatus.ACTIVE

    def is_active(self, now=None) -> bool:
        return self.status(now) == ConsentStatus.ACTIVE

    @property
    def ended_at(self):
        """When sharing stopped (or will stop): the withdrawal, else the expiry."""
        return self.revoked_at or self.expires_at

    @property
    def granted_categories(self) -> frozenset[str]:
        """What this consent lets the recipient see. Substance use only with every §2.31 element."""
        cats = frozenset(self.categories) & frozenset(Category.values)
        if Category.SUBSTANCE_USE in cats and not self.part2:
            cats = cats - {Category.SUBSTANCE_USE}
        return cats

    def status_label(self, now=None) -> StrOrPromise:
        return ConsentStatus(self.status(now)).label

    def category_labels(self) -> list[StrOrPromise]:
        return [CATEGORY_LABELS[c] for c in Category.values if c in self.categories]

    def purpose_labels(self) -> list[StrOrPromise]:
        return [Purpose(p).label for p in Purpose.values if p in self.purposes]
