"""Every write to consent: record one, withdraw one. Each runs in one transaction with its audit event."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wayfinder.accounts.actor import Actor
from wayfinder.accounts.models import Agency
from wayfinder.audit.events import record
from wayfinder.consent.models import (
    SIGNED_METHODS,
    Consent,
    ConsentStatus,
    GrantorCapacity,
    Method,
    Purpose,
    RevocationChannel,
    SignatureKind,
)
from wayfinder.consent.queries import ARTIFACT_PURPOSE, SEAL_PURPOSE
from wayfinder.core import crypto
from wayfinder.core.categories import Category
from wayfinder.core.languages import form_language_for
from wayfinder.people.models import Person
from wayfinder.people.sealing import seal

# A request for "everything" is a broad grant: it never includes substance use (42 CFR Part 2).
BROAD = "all"
BROAD_CATEGORIES = tuple(c for c in Category.values if c != Category.SUBSTANCE_USE)

# Uploaded signed forms: recognised by their first bytes, not by what the browser claims.
ARTIFACT_TYPES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}
DRAWN_PREFIX = "data:image/png;base64,"
ISO_639_3 = re.compile(r"^[a-z]{3}$")


@dataclass
class Signature:
    """How the consent was signed. Exactly one kind; what it needs depends on the method."""

    kind: str
    typed_name: str = ""
    drawn_png: str = ""  # a data: URL from the signature pad
    upload: bytes | None = None
    upload_content_type: str = ""
    witness_name: str = ""


@dataclass(frozen=True)
class ConsentRequest:
    """What the person agreed to, as the form, the API or the demo gathered it."""

    recipient_agency: Agency | None
    purposes: Sequence[str]
    categories: Sequence[str]
    expires_at: datetime | None
    method: str
    signature: Signature
    explained_not_a_condition: bool
    valid_from: datetime | None = None
    signed_at: datetime | None = None
    grantor_capacity: str = GrantorCapacity.SELF
    grantor_name: str = ""
    minor_assent: bool = False
    language: str = ""
    form_language: str = ""
    interpreter_used: bool = False
    substance_use_description: str = ""
    part2_revocation_explained: bool = False


def expand_categories(categories) -> list[str]:
    """The categories asked for, with "all" expanded to every category except substance use."""
    wanted = list(dict.fromkeys(categories or []))
    if BROAD in wanted:
        wanted = [c for c in wanted if c != BROAD] + list(BROAD_CATEGORIES)
    return [c for c in Category.values if c in set(wanted)] + sorted(
        set(wanted) - set(Category.values)
    )


def _err(errors: dict, field: str, message: str, code: str) -> None:
    errors.setdefault(field, []).append(ValidationError(message, code=code))


def _check_artifact(errors: dict, data: bytes | None, content_type: str) -> str:
    if not data:
        _err(
            errors, "upload", _("Attach the scan or photo of the signed form."), "artifact_missing"
        )
        return ""
    limit = settings.WAYFINDER_CONSENT_UPLOAD_MAX_BYTES
    if len(data) > limit:
        _err(
            errors,
            "upload",
            _("The file is too large (the limit is %(mb)s MB).") % {"mb": limit // (1024 * 1024)},
            "artifact_too_large",
        )
        return ""
    for kind, magics in ARTIFACT_TYPES.items():
        if any(data.startswith(m) for m in magics):
            if content_type and content_type != kind:
                break
            return kind
    _err(
        errors,
        "upload",
        _("The file must be a PDF, PNG or JPEG scan of the signed form."),
        "artifact_type",
    )
    return ""


def _check_drawn(errors: dict, drawn: str) -> None:
    if not drawn.startswith(DRAWN_PREFIX):
        _err(errors, "drawn_png", _("Draw the signature in the box."), "signature_missing")
        return
    try:
        raw = base64.b64decode(drawn[len(DRAWN_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if not raw.startswith(b"\x89PNG\r\n\x1a\n") or len(raw) > 512 * 1024:
        _err(errors, "drawn_png", _("The drawn signature could not be read."), "signature_invalid")


def _check_signature(errors: dict, method: str, sig: Signature) -> str:
    """Validate the signature for the method; returns the uploaded file's content type, if any."""
    expected = {
        Method.WRITTEN: {SignatureKind.UPLOAD},
        Method.ELECTRONIC_SIGNATURE: {SignatureKind.DRAWN, SignatureKind.TYPED},
        Method.VERBAL_WITNESSED: {SignatureKind.WITNESSED},
    }.get(method, set())
    if sig.kind not in expected:
        _err(
            errors,
            "signature_kind",
            _("This kind of signature does not fit how consent was given."),
            "signature_mismatch",
        )
        return ""
    if sig.kind == SignatureKind.UPLOAD:
        return _check_artifact(errors, sig.upload, sig.upload_content_type)
    if sig.kind == SignatureKind.DRAWN:
        _check_drawn(errors, sig.drawn_png)
    if sig.kind == SignatureKind.TYPED and not sig.typed_name.strip():
        _err(
            errors,
            "typed_name",
            _("Type the name that serves as the signature."),
            "signature_missing",
        )
    if sig.kind == SignatureKind.WITNESSED and not sig.witness_name.strip():
        _err(errors, "witness_name", _("Name the witness."), "witness_required")
    return ""


def _check_owner(person: Person, actor: Actor) -> None:
    if (
        actor.agency is None
        or not actor.is_casework
        or person.is_forgotten
        or person.owner_agency_id != actor.agency.pk
    ):
        raise PermissionDenied


@transaction.atomic
def create_consent(person: Person, request: ConsentRequest, *, actor: Actor) -> Consent:
    """Record the person's consent for one agency (the owning agency's casework staff only).

    Raises ``ValidationError`` with a dict of field → coded errors when something is missing.
    """
    _check_owner(person, actor)
    r = request
    recipient_agency, expires_at, method = r.recipient_agency, r.expires_at, r.method
    grantor_capacity = r.grantor_capacity
    now = timezone.now()
    valid_from = r.valid_from or now
    signed_at = r.signed_at or now
    errors: dict = {}

    if (
        recipient_agency is None
        or not recipient_agency.is_active
        or recipient_agency.pk == actor.agency.pk
    ):
        _err(
            errors,
            "recipient_agency",
            _("Choose another agency of the network."),
            "recipient_invalid",
        )
    purposes = list(dict.fromkeys(r.purposes or []))
    if not purposes:
        _err(errors, "purposes", _("Choose at least one reason for sharing."), "purpose_required")
    elif set(purposes) - set(Purpose.values):
        _err(errors, "purposes", _("Unknown reason for sharing."), "purpose_unknown")
    categories = expand_categories(r.categories)
    if not categories:
        _err(errors, "categories", _("Choose what may be shared."), "category_required")
    elif set(categories) - set(Category.values):
        _err(errors, "categories", _("Unknown kind of information."), "category_unknown")

    if expires_at is None:
        _err(errors, "expires_at", _("Consent must have an end date."), "expiry_required")
    elif expires_at <= max(now, valid_from):
        _err(errors, "expires_at", _("The end date must be in the future."), "expiry_in_past")
    elif expires_at - valid_from > timedelta(days=settings.WAYFINDER_CONSENT_MAX_DAYS):
        _err(
            errors,
            "expires_at",
            _("Consent can last at most %(days)s days; ask again after that.")
            % {"days": settings.WAYFINDER_CONSENT_MAX_DAYS},
            "expiry_too_far",
        )
    if signed_at > now + timedelta(minutes=5):
        _err(
            errors,
            "signed_at",
            _("The signature date cannot be in the future."),
            "signed_in_future",
        )

    if method not in Method.values:
        _err(errors, "method", _("Say how consent was given."), "method_required")
        content_type = ""
    else:
        content_type = _check_signature(errors, method, r.signature)

    if grantor_capacity not in GrantorCapacity.values:
        _err(errors, "grantor_capacity", _("Say who gave consent."), "grantor_required")
    elif grantor_capacity != GrantorCapacity.SELF and not r.grantor_name.strip():
        _err(errors, "grantor_name", _("Give the name of the guardian."), "grantor_name_required")
    if grantor_capacity == GrantorCapacity.GUARDIAN_OF_MINOR and not r.minor_assent:
        # VAWA: for an unemancipated minor, the minor and a parent or guardian both consent.
        _err(
            errors,
            "minor_assent",
            _("The young person must agree as well as their parent or guardian."),
            "minor_assent_required",
        )
    if not r.explained_not_a_condition:
        _err(
            errors,
            "explained_not_a_condition",
            _("Confirm that the person was told services do not depend on saying yes."),
            "not_a_condition_unconfirmed",
        )

    part2 = Category.SUBSTANCE_USE in categories
    if part2:
        if method not in SIGNED_METHODS:
            _err(
                errors,
                "method",
                _("Substance use information needs a signed consent (42 CFR §2.31)."),
                "part2_needs_signature",
            )
        if not r.substance_use_description.strip():
            _err(
                errors,
                "substance_use_description",
                _("Describe exactly which substance use information may be shared."),
                "part2_description_required",
            )
        if not r.part2_revocation_explained:
            _err(
                errors,
                "part2_revocation_explained",
                _("Confirm that the person was told they can withdraw this consent in writing."),
                "part2_revocation_required",
            )

    language = (r.language or person.primary_language or "eng").strip().lower()
    if not ISO_639_3.match(language):
        _err(errors, "language", _("Use a three-letter language code."), "language_invalid")
    form_language = r.form_language or form_language_for(person)
    if form_language not in {code for code, _name in settings.LANGUAGES}:
        _err(
            errors,
            "form_language",
            _("The form is not available in that language."),
            "form_language_invalid",
        )

    if errors:
        raise ValidationError(errors)

    secrets = {
        "grantor_name": r.grantor_name.strip() if grantor_capacity != GrantorCapacity.SELF else "",
        "witness_name": r.signature.witness_name.strip(),
        "typed_name": r.signature.typed_name.strip()
        if r.signature.kind == SignatureKind.TYPED
        else "",
        "drawn_png": r.signature.drawn_png if r.signature.kind == SignatureKind.DRAWN else "",
        "substance_use_description": r.substance_use_description.strip() if part2 else "",
    }
    consent = Consent(
        person=person,
        disclosing_agency=actor.agency,
        recipient_agency=recipient_agency,
        purposes=[p for p in Purpose.values if p in purposes],
        categories=categories,
        valid_from=valid_from,
        expires_at=expires_at,
        method=method,
        language=language,
        form_language=form_language,
        interpreter_used=r.interpreter_used,
        grantor_capacity=grantor_capacity,
        minor_assent=r.minor_assent and grantor_capacity == GrantorCapacity.GUARDIAN_OF_MINOR,
        signature_kind=r.signature.kind,
        signed_at=signed_at,
        part2=part2,
        recorded_by=actor.user,
    )
    consent.sealed_ct = seal(person, secrets, SEAL_PURPOSE)
    if r.signature.kind == SignatureKind.UPLOAD:
        key = crypto.data_key(person.pk)
        consent.artifact_ct = crypto.encrypt(person.pk, key, r.signature.upload, ARTIFACT_PURPOSE)
        consent.artifact_content_type = content_type
        consent.artifact_size = len(r.signature.upload)
    consent.save()
    record(
        "consent.create",
        category="consent",
        actor=actor,
        obj=consent,
        person=person,
        categories=consent.categories,
        detail={
            "recipient_agency_id": str(recipient_agency.pk),
            "purposes": consent.purposes,
            "categories": consent.categories,
            "method": method,
            "grantor_capacity": grantor_capacity,
            "signature_kind": r.signature.kind,
            "valid_from": valid_from.isoformat(),
            "expires_at": expires_at.isoformat(),
            "part2": part2,
        },
    )
    return consent


@transaction.atomic
def revoke_consent(consent: Consent, *, actor: Actor, channel: str) -> Consent:
    """Withdraw consent at once, however the person said so (an oral withdrawal counts).

    Casework staff of the owning agency, or of the agency the consent names (the person may tell
    them), can record it. Sharing stops on the next read; what was shared before stays in the log.
    """
    consent = Consent.objects.select_for_update().select_related("person").get(pk=consent.pk)
    if (
        actor.agency is None
        or not actor.is_casework
        or actor.agency.pk not in {consent.person.owner_agency_id, consent.recipient_agency_id}
    ):
        raise PermissionDenied
    status = consent.status()
    if status == ConsentStatus.REVOKED:
        raise ValidationError(_("This consent was already withdrawn."), code="already_revoked")
    if status == ConsentStatus.EXPIRED:
        raise ValidationError(_("This consent has already ended."), code="already_ended")
    if channel not in RevocationChannel.values:
        raise ValidationError(_("Say how the withdrawal was received."), code="channel_required")
    consent.revoked_at = timezone.now()
    consent.revoked_via = channel
    consent.revoked_recorded_by = actor.user
    consent.revoked_recorded_at_agency = actor.agency
    consent.save(
        update_fields=[
            "revoked_at",
            "revoked_via",
            "revoked_recorded_by",
            "revoked_recorded_at_agency",
            "updated_at",
        ]
    )
    record(
        "consent.revoke",
        category="consent",
        actor=actor,
        obj=consent,
        person=consent.person,
        categories=consent.categories,
        detail={
            "channel": channel,
            "recipient_agency_id": str(consent.recipient_agency_id),
            "was": status,
        },
    )
    return consent
