"""Every write to consent: record one, withdraw one. Each runs in one transaction with its audit event."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from wayfinder.accounts.actor import Actor
from wayfinder.accounts.models import Agency
from wayfinder.audit.events import record
from wayfinder.consent.errors import ConsentErrorCode as Code
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
from wayfinder.core.errors import CodedError
from wayfinder.core.interpretation import Interpretation, InterpreterAnswer
from wayfinder.core.languages import form_language_for
from wayfinder.directory.interpreters import check_interpreter, interpreter_detail
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
    # Who interpreted (``directory.interpreters``); when given, it sets ``interpreter_used``.
    interpreter: InterpreterAnswer | None = None
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


def _check_artifact(errors: list[CodedError], data: bytes | None, content_type: str) -> str:
    if not data:
        errors.append(
            CodedError(
                Code.ARTIFACT_MISSING,
                _("Attach the scan or photo of the signed form."),
                field="upload",
            )
        )
        return ""
    limit = settings.WAYFINDER_CONSENT_UPLOAD_MAX_BYTES
    if len(data) > limit:
        errors.append(
            CodedError(
                Code.ARTIFACT_TOO_LARGE,
                _("The file is too large (the limit is %(mb)s MB).")
                % {"mb": limit // (1024 * 1024)},
                field="upload",
            )
        )
        return ""
    for kind, magics in ARTIFACT_TYPES.items():
        if any(data.startswith(m) for m in magics):
            if content_type and content_type != kind:
                break
            return kind
    errors.append(
        CodedError(
            Code.ARTIFACT_TYPE,
            _("The file must be a PDF, PNG or JPEG scan of the signed form."),
            field="upload",
        )
    )
    return ""


def _check_drawn(errors: list[CodedError], drawn: str) -> None:
    if not drawn.startswith(DRAWN_PREFIX):
        errors.append(
            CodedError(
                Code.SIGNATURE_MISSING, _("Draw the signature in the box."), field="drawn_png"
            )
        )
        return
    try:
        raw = base64.b64decode(drawn[len(DRAWN_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if not raw.startswith(b"\x89PNG\r\n\x1a\n") or len(raw) > 512 * 1024:
        errors.append(
            CodedError(
                Code.SIGNATURE_INVALID,
                _("The drawn signature could not be read."),
                field="drawn_png",
            )
        )


def _check_signature(errors: list[CodedError], method: str, sig: Signature) -> str:
    """Validate the signature for the method; returns the uploaded file's content type, if any."""
    kinds: dict[str, set[str]] = {
        Method.WRITTEN: {SignatureKind.UPLOAD},
        Method.ELECTRONIC_SIGNATURE: {SignatureKind.DRAWN, SignatureKind.TYPED},
        Method.VERBAL_WITNESSED: {SignatureKind.WITNESSED},
    }
    expected = kinds.get(method, set())
    if sig.kind not in expected:
        errors.append(
            CodedError(
                Code.SIGNATURE_MISMATCH,
                _("This kind of signature does not fit how consent was given."),
                field="signature_kind",
            )
        )
        return ""
    if sig.kind == SignatureKind.UPLOAD:
        return _check_artifact(errors, sig.upload, sig.upload_content_type)
    if sig.kind == SignatureKind.DRAWN:
        _check_drawn(errors, sig.drawn_png)
    if sig.kind == SignatureKind.TYPED and not sig.typed_name.strip():
        errors.append(
            CodedError(
                Code.SIGNATURE_MISSING,
                _("Type the name that serves as the signature."),
                field="typed_name",
            )
        )
    if sig.kind == SignatureKind.WITNESSED and not sig.witness_name.strip():
        errors.append(
            CodedError(Code.WITNESS_REQUIRED, _("Name the witness."), field="witness_name")
        )
    return ""


def _check_owner(person: Person, actor: Actor) -> Agency:
    """The actor's agency, when it owns the record and the actor does casework there."""
    if (
        actor.agency is None
        or not actor.is_casework
        or person.is_forgotten
        or person.owner_agency_id != actor.agency.pk
    ):
        raise PermissionDenied
    return actor.agency


@transaction.atomic
def create_consent(person: Person, request: ConsentRequest, *, actor: Actor) -> Consent:
    """Record the person's consent for one agency (the owning agency's casework staff only).

    Raises ``ValidationError`` with a dict of field → coded errors when something is missing.
    """
    agency = _check_owner(person, actor)
    r = request
    recipient_agency, expires_at, method = r.recipient_agency, r.expires_at, r.method
    grantor_capacity = r.grantor_capacity
    now = timezone.now()
    valid_from = r.valid_from or now
    signed_at = r.signed_at or now
    errors: list[CodedError] = []

    if (
        recipient_agency is None
        or not recipient_agency.is_active
        or recipient_agency.pk == agency.pk
    ):
        errors.append(
            CodedError(
                Code.RECIPIENT_INVALID,
                _("Choose another agency of the network."),
                field="recipient_agency",
            )
        )
    purposes = list(dict.fromkeys(r.purposes or []))
    if not purposes:
        errors.append(
            CodedError(
                Code.PURPOSE_REQUIRED,
                _("Choose at least one reason for sharing."),
                field="purposes",
            )
        )
    elif set(purposes) - set(Purpose.values):
        errors.append(
            CodedError(Code.PURPOSE_UNKNOWN, _("Unknown reason for sharing."), field="purposes")
        )
    categories = expand_categories(r.categories)
    if not categories:
        errors.append(
            CodedError(Code.CATEGORY_REQUIRED, _("Choose what may be shared."), field="categories")
        )
    elif set(categories) - set(Category.values):
        errors.append(
            CodedError(Code.CATEGORY_UNKNOWN, _("Unknown kind of information."), field="categories")
        )

    if expires_at is None:
        errors.append(
            CodedError(
                Code.EXPIRY_REQUIRED, _("Consent must have an end date."), field="expires_at"
            )
        )
    elif expires_at <= max(now, valid_from):
        errors.append(
            CodedError(
                Code.EXPIRY_IN_PAST, _("The end date must be in the future."), field="expires_at"
            )
        )
    elif expires_at - valid_from > timedelta(days=settings.WAYFINDER_CONSENT_MAX_DAYS):
        errors.append(
            CodedError(
                Code.EXPIRY_TOO_FAR,
                _("Consent can last at most %(days)s days; ask again after that.")
                % {"days": settings.WAYFINDER_CONSENT_MAX_DAYS},
                field="expires_at",
            )
        )
    if signed_at > now + timedelta(minutes=5):
        errors.append(
            CodedError(
                Code.SIGNED_IN_FUTURE,
                _("The signature date cannot be in the future."),
                field="signed_at",
            )
        )

    if method not in Method.values:
        errors.append(
            CodedError(Code.METHOD_REQUIRED, _("Say how consent was given."), field="method")
        )
        content_type = ""
    else:
        content_type = _check_signature(errors, method, r.signature)

    if grantor_capacity not in GrantorCapacity.values:
        errors.append(
            CodedError(Code.GRANTOR_REQUIRED, _("Say who gave consent."), field="grantor_capacity")
        )
    elif grantor_capacity != GrantorCapacity.SELF and not r.grantor_name.strip():
        errors.append(
            CodedError(
                Code.GRANTOR_NAME_REQUIRED,
                _("Give the name of the guardian."),
                field="grantor_name",
            )
        )
    if grantor_capacity == GrantorCapacity.GUARDIAN_OF_MINOR and not r.minor_assent:
        # VAWA: for an unemancipated minor, the minor and a parent or guardian both consent.
        errors.append(
            CodedError(
                Code.MINOR_ASSENT_REQUIRED,
                _("The young person must agree as well as their parent or guardian."),
                field="minor_assent",
            )
        )
    if not r.explained_not_a_condition:
        errors.append(
            CodedError(
                Code.NOT_A_CONDITION_UNCONFIRMED,
                _("Confirm that the person was told services do not depend on saying yes."),
                field="explained_not_a_condition",
            )
        )

    part2 = Category.SUBSTANCE_USE in categories
    if part2:
        if method not in SIGNED_METHODS:
            errors.append(
                CodedError(
                    Code.PART2_NEEDS_SIGNATURE,
                    _("Substance use information needs a signed consent (42 CFR §2.31)."),
                    field="method",
                )
            )
        if not r.substance_use_description.strip():
            errors.append(
                CodedError(
                    Code.PART2_DESCRIPTION_REQUIRED,
                    _("Describe exactly which substance use information may be shared."),
                    field="substance_use_description",
                )
            )
        if not r.part2_revocation_explained:
            errors.append(
                CodedError(
                    Code.PART2_REVOCATION_REQUIRED,
                    _(
                        "Confirm that the person was told they can withdraw this consent in writing."
                    ),
                    field="part2_revocation_explained",
                )
            )

    language = (r.language or person.primary_language or "eng").strip().lower()
    if not ISO_639_3.match(language):
        errors.append(
            CodedError(
                Code.LANGUAGE_INVALID, _("Use a three-letter language code."), field="language"
            )
        )
    form_language = r.form_language or form_language_for(person)
    if form_language not in {code for code, _name in settings.LANGUAGES}:
        errors.append(
            CodedError(
                Code.FORM_LANGUAGE_INVALID,
                _("The form is not available in that language."),
                field="form_language",
            )
        )

    interpreter_fields, interpreter_errors = check_interpreter(r.interpreter)
    errors.extend(interpreter_errors)
    interpreter_used = r.interpreter_used
    if interpreter_fields["interpretation"]:
        interpreter_used = interpreter_fields["interpretation"] == Interpretation.INTERPRETED

    CodedError.raise_any(errors)
    # Refused above when missing: the recipient and the end date.
    assert recipient_agency is not None and expires_at is not None

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
        disclosing_agency=agency,
        recipient_agency=recipient_agency,
        purposes=[p for p in Purpose.values if p in purposes],
        categories=categories,
        valid_from=valid_from,
        expires_at=expires_at,
        method=method,
        language=language,
        form_language=form_language,
        interpreter_used=interpreter_used,
        **interpreter_fields,
        grantor_capacity=grantor_capacity,
        minor_assent=r.minor_assent and grantor_capacity == GrantorCapacity.GUARDIAN_OF_MINOR,
        signature_kind=r.signature.kind,
        signed_at=signed_at,
        part2=part2,
        recorded_by=actor.user,
    )
    consent.sealed_ct = seal(person, secrets, SEAL_PURPOSE)
    if r.signature.kind == SignatureKind.UPLOAD:
        upload = r.signature.upload
        assert upload is not None  # _check_signature refuses an upload signature without a file
        key = crypto.data_key(person.pk)
        consent.artifact_ct = crypto.encrypt(person.pk, key, upload, ARTIFACT_PURPOSE)
        consent.artifact_content_type = content_type
        consent.artifact_size = len(upload)
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
            **interpreter_detail(consent),
        },
    )
    return consent


@transaction.atomic
def revoke_consent(consent: Consent, *, actor: Actor, channel: str) -> Consent:
    """Withdraw consent at once, however the person said so (an oral withdrawal counts).

    Casework staff of the owning agency, or of the agency the consent names (the person may tell
    them), can record it. Sharing stops on the next read; what was shared before stays in the log.
    Other apps' ``consent_revoked`` hooks run in the same transaction.
    """
    consent = Consent.objects.select_for_update().select_related("person").get(pk=consent.pk)
    if (
        actor.agency is None
        or not actor.is_casework
        or actor.agency.pk not in {consent.person.owner_agency_id, consent.recipient_agency_id}
    ):
        raise PermissionDenied
    return _revoke(consent, actor=actor, channel=channel)


@transaction.atomic
def revoke_consent_by_person(consent: Consent, *, actor: Actor, person: Person) -> Consent:
    """The person withdraws their own consent in the survivor portal (``wayfinder.portal``).

    ``actor`` has no user and no agency (the portal's person actor); only a consent about
    ``person`` can be withdrawn. The channel is "survivor portal"; the rest is ``revoke_consent``.
    """
    consent = Consent.objects.select_for_update().select_related("person").get(pk=consent.pk)
    if consent.person_id != person.pk or actor.agency is not None:
        raise PermissionDenied
    return _revoke(consent, actor=actor, channel=RevocationChannel.SURVIVOR_PORTAL)


def _revoke(consent: Consent, *, actor: Actor, channel: str) -> Consent:
    status = consent.status()
    if status == ConsentStatus.REVOKED:
        raise CodedError(Code.ALREADY_REVOKED, _("This consent was already withdrawn."), status=409)
    if status == ConsentStatus.EXPIRED:
        raise CodedError(Code.ALREADY_ENDED, _("This consent has already ended."), status=409)
    if channel not in RevocationChannel.values or (
        channel == RevocationChannel.SURVIVOR_PORTAL and actor.user.is_authenticated
    ):
        raise CodedError(Code.CHANNEL_REQUIRED, _("Say how the withdrawal was received."))
    consent.revoked_at = timezone.now()
    consent.revoked_via = channel
    consent.revoked_recorded_by = actor.user if actor.user.is_authenticated else None
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
    # Apps above consent react in this same transaction (referrals: open referrals to that
    # agency go on hold, "consent withdrawn"). AppConfig ``consent_revoked``: dotted paths.
    for app in apps.get_app_configs():
        for path in getattr(app, "consent_revoked", ()):
            import_string(path)(consent, actor=actor)
    return consent
