"""``/api/v1/consents/``: a person's consents, record one, withdraw one — through the gate.

Refused and unknown are both 404. A partner still on the care team whose consent ended gets
410 ``access_ended`` with the date and the reason, and nothing else (any endpoint behind the gate).
"""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, TypeAlias

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import field_validator

from wayfinder.access.gate import get_access
from wayfinder.accounts.models import Agency
from wayfinder.api.schemas import Input, IsoDateTime, choice, responses
from wayfinder.consent import actions, queries
from wayfinder.consent.errors import ConsentErrorCode as Code
from wayfinder.consent.fhir import consent_to_fhir
from wayfinder.consent.models import Consent, GrantorCapacity, RevocationChannel
from wayfinder.core.errors import CodedError
from wayfinder.directory.interpreters import InterpreterIn, InterpreterOut, interpreter_out

router = Router(tags=["consents"])
prefix = "consents"


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


class SignatureIn(Input):
    kind: str
    typed_name: str = ""
    drawn_png: str = ""  # data:image/png;base64,…
    upload_base64: str = ""  # the scanned signed form
    upload_content_type: str = ""
    witness_name: str = ""


class ConsentIn(Input):
    person_id: uuid.UUID
    recipient_agency_id: uuid.UUID
    purposes: list[str]
    categories: list[str]  # "all" = every category except substance_use
    expires_at: IsoDateTime
    valid_from: IsoDateTime | None = None
    method: str
    signature: SignatureIn
    signed_at: IsoDateTime | None = None
    explained_not_a_condition: bool
    grantor_capacity: str = GrantorCapacity.SELF
    grantor_name: str = ""
    minor_assent: bool = False
    language: str = ""
    form_language: str = ""
    interpreter_used: bool = False
    interpreter: InterpreterIn | None = None
    substance_use_description: str = ""
    part2_revocation_explained: bool = False

    @field_validator("expires_at", "valid_from", "signed_at")
    @classmethod
    def _tz(cls, value):
        return _aware(value)


# choice() builds a Literal a type checker cannot read as a type: to it the value is a str.
if TYPE_CHECKING:
    RevocationChannelCode: TypeAlias = str
else:
    RevocationChannelCode = choice(RevocationChannel.values)


class RevokeIn(Input):
    channel: RevocationChannelCode = Field(..., description="How it was received.")


class ConsentOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    pseudonym: str
    status: str
    disclosing_agency_id: uuid.UUID
    disclosing_agency: str
    recipient_agency_id: uuid.UUID
    recipient_agency: str
    purposes: list[str]
    categories: list[str]
    valid_from: datetime
    expires_at: datetime
    method: str
    signature_kind: str
    signed_at: datetime
    language: str
    form_language: str
    interpreter_used: bool
    interpreter: InterpreterOut | None
    grantor_capacity: str
    minor_assent: bool
    part2: bool
    has_signed_form: bool
    revoked_at: datetime | None
    revoked_via: str
    revoked_recorded_by_id: int | None


def _out(c: Consent) -> dict:
    return {
        "id": c.pk,
        "person_id": c.person_id,
        "pseudonym": c.person.pseudonym,
        "status": c.status(),
        "disclosing_agency_id": c.disclosing_agency_id,
        "disclosing_agency": c.disclosing_agency.name,
        "recipient_agency_id": c.recipient_agency_id,
        "recipient_agency": c.recipient_agency.name,
        "purposes": c.purposes,
        "categories": c.categories,
        "valid_from": c.valid_from,
        "expires_at": c.expires_at,
        "method": c.method,
        "signature_kind": c.signature_kind,
        "signed_at": c.signed_at,
        "language": c.language,
        "form_language": c.form_language,
        "interpreter_used": c.interpreter_used,
        "interpreter": interpreter_out(c),
        "grantor_capacity": c.grantor_capacity,
        "minor_assent": c.minor_assent,
        "part2": c.part2,
        "has_signed_form": c.artifact_ct is not None,
        "revoked_at": c.revoked_at,
        "revoked_via": c.revoked_via,
        "revoked_recorded_by_id": c.revoked_recorded_by_id,
    }


@router.get(
    "/persons/{person_id}/",
    response=responses(list[ConsentOut], 410),
    summary="A person's consents",
)
def list_consents(request, person_id: uuid.UUID):
    """All of them at the owning agency; at a partner, only the consents that name it."""
    access = get_access(request.actor, person_id)
    consents = queries.consents_for(request.actor, access)
    for c in consents:
        c.person = access.person
    return [_out(c) for c in consents]


@router.post(
    "/", response=responses(ConsentOut, 409, 410, ok_status=201), summary="Record a consent"
)
def create(request, payload: ConsentIn):
    access = get_access(request.actor, payload.person_id)
    if not access.is_owner:
        raise Http404
    recipient = Agency.objects.filter(pk=payload.recipient_agency_id).first()
    if recipient is None:
        raise CodedError(Code.RECIPIENT_INVALID, _("Choose another agency of the network."))
    sig = payload.signature
    upload = None
    if sig.upload_base64:
        try:
            upload = base64.b64decode(sig.upload_base64, validate=True)
        except (binascii.Error, ValueError):
            raise CodedError(
                Code.ARTIFACT_INVALID, _("upload_base64 is not valid base64.")
            ) from None
    consent = actions.create_consent(
        access.person,
        actions.ConsentRequest(
            recipient_agency=recipient,
            purposes=payload.purposes,
            categories=payload.categories,
            expires_at=payload.expires_at,
            valid_from=payload.valid_from,
            method=payload.method,
            signature=actions.Signature(
                kind=sig.kind,
                typed_name=sig.typed_name,
                drawn_png=sig.drawn_png,
                upload=upload,
                upload_content_type=sig.upload_content_type,
                witness_name=sig.witness_name,
            ),
            signed_at=payload.signed_at,
            explained_not_a_condition=payload.explained_not_a_condition,
            grantor_capacity=payload.grantor_capacity,
            grantor_name=payload.grantor_name,
            minor_assent=payload.minor_assent,
            language=payload.language,
            form_language=payload.form_language,
            interpreter_used=payload.interpreter_used,
            interpreter=payload.interpreter.answer() if payload.interpreter else None,
            substance_use_description=payload.substance_use_description,
            part2_revocation_explained=payload.part2_revocation_explained,
        ),
        actor=request.actor,
    )
    return Status(201, _out(consent))


@router.get("/{consent_id}/", response=responses(ConsentOut, 410), summary="One consent")
def detail(request, consent_id: uuid.UUID):
    consent, _access = queries.get_consent(request.actor, consent_id)
    return _out(consent)


@router.post(
    "/{consent_id}/revoke/",
    response=responses(ConsentOut, 409, 410),
    summary="Withdraw a consent at once",
)
def revoke(request, consent_id: uuid.UUID, payload: RevokeIn):
    """Record a withdrawal however it was received (``channel``); sharing stops immediately."""
    consent, _access = queries.get_consent(request.actor, consent_id)
    consent = actions.revoke_consent(consent, actor=request.actor, channel=payload.channel)
    consent = Consent.objects.select_related("person", "recipient_agency", "disclosing_agency").get(
        pk=consent.pk
    )
    return _out(consent)


@router.get(
    "/{consent_id}/fhir/",
    response=responses(dict, 410),
    summary="One consent as a FHIR R4 Consent (SDOHCC)",
)
def fhir(request, consent_id: uuid.UUID):
    consent, _access = queries.get_consent(request.actor, consent_id)
    return consent_to_fhir(consent)
