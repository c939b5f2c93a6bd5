"""The survivor record. Identifying fields are encrypted (see ``Identity``); the rest is plain."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wayfinder.accounts.models import Agency
from wayfinder.core.models import BaseModel

DECLINED = "declined"
PREFER_NOT = _("Prefer not to say")

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U


def new_pseudonym() -> str:
    """A random record code such as WF-7K3Q-9D: what lists, logs and reports show."""
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(6))
    return f"WF-{chars[:4]}-{chars[4:]}"


class GenderIdentity(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")
    TRANSGENDER = "transgender", _("Transgender")
    CULTURALLY_SPECIFIC = "culturally_specific", _("Culturally specific identity")
    QUESTIONING = "questioning", _("Questioning")
    DIFFERENT = "different", _("A different identity")
    DECLINED = DECLINED, PREFER_NOT


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    DECLINED = DECLINED, PREFER_NOT


class TraffickingForm(models.TextChoices):
    SEX = "sex", _("Sex trafficking")
    LABOUR = "labour", _("Labour trafficking")
    BOTH = "both", _("Both sex and labour trafficking")
    UNKNOWN = "unknown", _("Not known yet")
    DECLINED = DECLINED, PREFER_NOT


class SafetyLevel(models.TextChoices):
    SAFE = "safe", _("Feels safe now")
    CONCERNS = "concerns", _("Some safety concerns")
    UNSAFE = "unsafe", _("Not safe: urgent safety planning needed")
    DECLINED = DECLINED, PREFER_NOT


class ContactMethod(models.TextChoices):
    DO_NOT_CONTACT = "do_not_contact", _("Do not contact me directly")
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")
    EMAIL = "email", _("E-mail")
    THROUGH_AGENCY = "through_agency", _("Only through my case manager")
    DECLINED = DECLINED, PREFER_NOT


class ReferralSource(models.TextChoices):
    SELF = "self", _("Self-referral")
    HOTLINE = "hotline", _("Hotline")
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
    HEALTH_CARE = "health_care", _("Health care provider")
    COMMUNITY = "community", _("Community or faith organisation")
    SCHOOL = "school", _("School")
    OTHER = "other", _("Other")
    DECLINED = DECLINED, PREFER_NOT


class StaffGenderPreference(models.TextChoices):
    NONE = "none", _("No preference")
    WOMEN = "women", _("Women staff")
    MEN = "men", _("Men staff")
    DECLINED = DECLINED, PREFER_NOT


class FaithPreference(models.TextChoices):
    NONE = "none", _("No preference")
    FAITH_BASED = "faith_based", _("Faith-based services welcome")
    SECULAR = "secular", _("Prefer services that are not faith-based")
    DECLINED = DECLINED, PREFER_NOT


@dataclass
class Identity:
    """The identifying fields, stored only as AES-GCM ciphertext under the person's data key."""

    chosen_name: str
    legal_name: str = ""
    aliases: list[str] = field(default_factory=list)
    date_of_birth: date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    postal_code: str = ""
    identity_numbers: str = ""
    # Free text can hold anything, so it is sealed too.
    communication_needs: str = ""
    cultural_considerations: str = ""
    safe_contact_times: str = ""
    declined: list[str] = field(default_factory=list)  # identifying fields the person declined

    FIELDS = (
        "chosen_name",
        "legal_name",
        "aliases",
        "date_of_birth",
        "phone",
        "email",
        "address",
        "postal_code",
        "identity_numbers",
        "communication_needs",
        "cultural_considerations",
        "safe_contact_times",
    )

    def to_json(self) -> dict:
        data = asdict(self)
        data["date_of_birth"] = self.date_of_birth.isoformat() if self.date_of_birth else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> Identity:
        dob = data.get("date_of_birth")
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["date_of_birth"] = date.fromisoformat(dob) if dob else None
        return cls(**known)


class Person(BaseModel):
    """A survivor, owned by the agency that did intake."""

    pseudonym = models.CharField(max_length=16, unique=True, default=new_pseudonym, editable=False)
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="persons")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    identity_ct = models.BinaryField(null=True, editable=False)  # encrypted Identity (JSON)

    # Plain, non-identifying fields. Blank/None = not asked yet; "declined" = prefer not to say.
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    gender_identity = models.CharField(
        _("gender identity"), max_length=32, choices=GenderIdentity.choices, blank=True
    )
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    preferred_languages = models.JSONField(
        _("preferred languages"), default=list, blank=True
    )  # ISO 639-3, ranked
    interpreter_needed = models.CharField(
        _("interpreter needed"), max_length=16, choices=YesNo.choices, blank=True
    )
    country_of_origin = models.CharField(
        _("country of origin"), max_length=2, blank=True
    )  # ISO 3166-1 alpha-2
    trafficking_form = models.CharField(
        _("form of trafficking"), max_length=16, choices=TraffickingForm.choices, blank=True
    )
    exploitation_ended_on = models.DateField(
        _("when the exploitation ended"), null=True, blank=True
    )
    safety_level = models.CharField(
        _("safety right now"), max_length=16, choices=SafetyLevel.choices, blank=True
    )
    safe_contact_method = models.CharField(
        _("safe way to contact"), max_length=20, choices=ContactMethod.choices, blank=True
    )
    referral_source = models.CharField(
        _("how they came to us"), max_length=20, choices=ReferralSource.choices, blank=True
    )
    staff_gender_preference = models.CharField(
        _("preferred gender of staff"),
        max_length=16,
        choices=StaffGenderPreference.choices,
        blank=True,
    )
    faith_preference = models.CharField(
        _("faith-based services"), max_length=16, choices=FaithPreference.choices, blank=True
    )
    declined = models.JSONField(default=list, blank=True)  # plain fields the person declined

    forgotten_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # A page of an agency's open records, newest first (``access.persons_for_list``),
            # walks this index and stops after its rows; the count reads the index alone.
            models.Index(
                fields=["owner_agency", "-created_at", "id"],
                condition=models.Q(forgotten_at__isnull=True),
                name="person_open_newest",
            ),
            # The few forgotten records, listed by id (backups, key rotation) without a read of
            # every open record.
            models.Index(
                fields=["id"],
                condition=models.Q(forgotten_at__isnull=False),
                name="person_forgotten",
            ),
        ]

    def __str__(self):
        return self.pseudonym

    @property
    def is_forgotten(self) -> bool:
        return self.forgotten_at is not None

    @property
    def primary_language(self) -> str:
        return self.preferred_languages[0] if self.preferred_languages else ""

    @property
    def years_since_exploitation(self) -> float | None:
        if not self.exploitation_ended_on:
            return None
        return round((timezone.localdate() - self.exploitation_ended_on).days / 365.25, 1)


# Which data category each field belongs to: consent and disclosure work on these.
FIELD_CATEGORIES = {
    "chosen_name": "identity",
    "legal_name": "identity",
    "aliases": "identity",
    "date_of_birth": "identity",
    "identity_numbers": "identity",
    "phone": "contact",
    "email": "contact",
    "address": "contact",
    "postal_code": "contact",
    "safe_contact_method": "contact",
    "safe_contact_times": "contact",
    "birth_year": "demographics",
    "gender_identity": "demographics",
    "pronouns": "demographics",
    "preferred_languages": "communication",
    "interpreter_needed": "communication",
    "communication_needs": "communication",
    "country_of_origin": "demographics",
    "cultural_considerations": "demographics",
    "staff_gender_preference": "demographics",
    "faith_preference": "demographics",
    "trafficking_form": "trafficking",
    "exploitation_ended_on": "trafficking",
    "safety_level": "trafficking",
    "referral_source": "trafficking",
}
PLAIN_FIELDS = tuple(f for f in FIELD_CATEGORIES if f not in Identity.FIELDS)


class CareTeamMember(BaseModel):
    """A staff member (of any agency) working with this person; one may be the lead."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="care_team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_teams"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    is_lead = models.BooleanField(_("lead"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-is_lead", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "user"], name="uniq_care_team_member")
        ]
        indexes = [
            # A user's team rows at an agency, lead or not: the dashboard's caseload finds the
            # records its user is on but does not lead from here (a few rows), not by reading
            # every team row of a navigator who leads most of a large agency.
            models.Index(fields=["user", "agency", "is_lead"], name="care_team_of_user")
        ]
