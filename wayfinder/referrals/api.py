"""``/api/v1/referrals/``: make, read, move and follow referrals — the same rules as the pages.

- Reads by the receiving agency return the consented payload only, and are audited with the
  consents that allowed them. A partner whose consent ended gets 410 ``access_ended``.
- Transitions return 409 ``illegal_transition`` (not allowed from the current status) or 409
  ``conflict`` (someone else changed the referral first; send ``version`` to detect it), and
  422 with a code for a missing reason or outcome.
- ``GET fhir/Task?owner=…&status=requested&_lastupdated=gt…`` follows referrals the way the SDOH
  Clinical Care IG's polling does; ``GET {id}/fhir/`` is the referral as a FHIR Bundle.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status as HttpStatus
from pydantic import ConfigDict, create_model

from wayfinder.access.gate import get_access
from wayfinder.accounts.models import Agency
from wayfinder.api.schemas import FILLED_TEXT_PATTERN, Input, choice, integer, responses, text
from wayfinder.consent.models import Consent
from wayfinder.core.errors import CodedError
from wayfinder.directory.interpreters import InterpreterIn, InterpreterOut, interpreter_out
from wayfinder.directory.models import Service
from wayfinder.referrals import actions, fhir, queries
from wayfinder.referrals.errors import ReferralErrorCode as Code
from wayfinder.referrals.models import AUTOMATIC, TRANSITIONS, Outcome, Reason, Referral
from wayfinder.referrals.sharing import sharing

router = Router(tags=["referrals"])
prefix = "referrals"

# --- schemas -------------------------------------------------------------------------------------


class ReferralIn(Input):
    person_id: uuid.UUID
    service_id: str | None = None
    recipient_agency_id: uuid.UUID | None = None
    service_category: str = ""
    need_id: uuid.UUID | None = None
    goal_id: uuid.UUID | None = None
    priority: str = ""
    note: str = ""
    # The reason for referral, written for the partner (consent category "referral_reason").
    reason_for_referral: str = ""
    direct_contact: bool = False
    send: bool = True
    # Send even though the partner will not see the note or reason (no consent covers them).
    confirm_withheld: bool = False
    # Who interpreted the conversation about the referral (docs/referrals.md, "Interpreters").
    interpreter: InterpreterIn | None = None


_OTHER_NEEDS_A_NOTE = {
    # "other" as the reason needs a note that says what it was.
    "anyOf": [
        {"properties": {"reason": {"not": {"const": Reason.OTHER.value}}}},
        {"required": ["note"], "properties": {"note": {"pattern": FILLED_TEXT_PATTERN}}},
    ]
}


class TransitionIn(Input):
    """``version``: the version you last saw (a newer one means a conflict, 409)."""

    model_config = ConfigDict(json_schema_extra=_OTHER_NEEDS_A_NOTE)


def _transition_schema(spec) -> type[Input]:
    """The body one transition takes: a reason where it needs one (from the list), an outcome
    only when completing, and a note that may not be blank when the reason is "other"."""
    # "consent_withdrawn" is set by the withdrawal itself, never chosen.
    reasons = [r for r in Reason.values if r != Reason.CONSENT_WITHDRAWN]
    reason = choice(reasons) if spec.needs_reason else choice(["", *reasons])
    fields: dict[str, tuple[Any, Any]] = {
        "version": (integer(ge=1) | None, None),
        "reason": (reason, ... if spec.needs_reason else ""),
        "note": (text(2000), ""),
    }
    if spec.needs_outcome:
        fields["outcome"] = (choice(Outcome.values), ...)
    if spec.name == "submit":
        # Send without the note or reason that no consent covers (else text_not_consented).
        fields["confirm_withheld"] = (bool, False)
    return create_model(
        f"Transition{spec.name.title().replace('_', '')}In",
        __base__=TransitionIn,
        **fields,
    )


class ReferralOut(Schema):
    id: uuid.UUID
    reference: str
    status: str
    version: int
    person_id: uuid.UUID
    pseudonym: str
    sending_agency_id: uuid.UUID
    sending_agency: str
    recipient_agency_id: uuid.UUID | None
    recipient: str
    service_id: str | None
    service_name: str
    service_category: str
    priority: str
    delivery: str
    contact_prohibited: bool
    reason: str
    outcome: str
    created_at: datetime
    sent_at: datetime | None
    acknowledged_at: datetime | None
    first_opened_at: datetime | None
    closed_at: datetime | None
    last_activity_at: datetime
    allowed: list[str]  # the transitions the caller could make now
    shared_categories: list[str]  # what the receiving agency may see now
    # Who interpreted the referral conversation: the sending agency only.
    interpreter: InterpreterOut | None = None


class CommunicationOut(Schema):
    """How to talk with the person (the "communication" consent category)."""

    languages: list[str] | str  # ISO 639-3 codes, or "declined"
    language_names: list[str]
    interpreter_needed: str  # "yes", "no", "declined" or ""
    # Whether an interpreter will be needed at the service, in words ("" if nothing to say).
    interpreter_line: str = ""
    contact_through_navigator: bool
    navigator_agency: str


class ReferralDetailOut(ReferralOut):
    payload: dict | None  # the receiving agency only: the consented data
    # Also inside ``payload``; here for clients that read them directly. Empty unless consented.
    reason_for_referral: str = ""
    communication: CommunicationOut | None = None


def _out(view: queries.ReferralView, *, payload: dict | None = None) -> dict:
    r = view.referral
    shared = (
        sorted(view.shared) if not view.is_sender else sorted(sharing(r.person, r.recipient_agency))
    )
    return {
        "id": r.pk,
        "reference": r.reference,
        "status": r.status,
        "version": r.version,
        "person_id": r.person_id,
        "pseudonym": r.person.pseudonym,
        "sending_agency_id": r.sending_agency_id,
        "sending_agency": r.sending_agency.name,
        "recipient_agency_id": r.recipient_agency_id,
        "recipient": r.recipient_name,
        "service_id": r.service_id,
        "service_name": r.service_name,
        "service_category": r.service_category,
        "priority": r.priority,
        "delivery": r.delivery,
        "contact_prohibited": r.contact_prohibited,
        "reason": r.reason,
        "outcome": r.outcome,
        "created_at": r.created_at,
        "sent_at": r.sent_at,
        "acknowledged_at": r.acknowledged_at,
        "first_opened_at": r.first_opened_at,
        "closed_at": r.closed_at,
        "last_activity_at": r.last_activity_at,
        "allowed": view.allowed(),
        "shared_categories": shared,
        "interpreter": interpreter_out(r) if view.is_sender else None,
        "payload": payload,
        "reason_for_referral": (payload or {}).get("reason_for_referral", ""),
        "communication": (payload or {}).get("communication"),
    }


class InboxRow(Schema):
    id: uuid.UUID
    reference: str
    status: str
    version: int
    pseudonym: str
    sending_agency: str
    service_name: str
    service_category: str
    priority: str
    sent_at: datetime | None
    overdue: bool


class InboxOut(Schema):
    new: list[InboxRow]
    overdue: list[InboxRow]
    active: list[InboxRow]
    counts: dict[str, int] = Field(
        description="Each section's count, up to 1,000 (then ``capped`` is true for it)."
    )
    capped: dict[str, bool]
    next: dict[str, str] = Field(
        description="For each section with more rows than listed: the ``after`` cursor for "
        "``GET inbox/{section}/``, which lists the rest a page at a time."
    )


class InboxPageOut(Schema):
    rows: list[InboxRow]
    next: str | None = Field(description="The ``after`` cursor of the next page, if any.")


def _row(r: Referral) -> dict:
    return {
        "id": r.pk,
        "reference": r.reference,
        "status": r.status,
        "version": r.version,
        "pseudonym": r.person.pseudonym,
        "sending_agency": r.sending_agency.name,
        "service_name": r.service_name,
        "service_category": r.service_category,
        "priority": r.priority,
        "sent_at": r.sent_at,
        "overdue": r.overdue,
    }


def _casework(request):
    actor = request.actor
    if actor.agency is None or not actor.is_casework:
        raise Http404
    return actor


# --- endpoints (fixed paths before the {id} ones) ------------------------------------------------


@router.get(
    "/inbox/",
    response=responses(InboxOut),
    summary="The receiving agency's inbox (no personal data)",
)
def inbox(request):
    box = queries.inbox(_casework(request), limit=queries.LIST_LIMIT)
    return {
        "new": [_row(r) for r in box.new],
        "overdue": [_row(r) for r in box.overdue],
        "active": [_row(r) for r in box.active],
        "counts": box.counts,
        "capped": box.capped,
        "next": box.next_cursors(),
    }


@router.get(
    "/inbox/{section}/",
    response=responses(InboxPageOut),
    summary="One section of the inbox (overdue, new, active), a page at a time",
)
def inbox_section(request, section: str, after: str = ""):
    """Rows in the inbox's order after the cursor ``after`` (from ``next``), up to 200."""
    actor = _casework(request)
    if section not in queries.INBOX_SECTIONS:
        raise Http404
    rows, more = queries.inbox_section(actor, section, after=after, limit=queries.LIST_LIMIT)
    return {
        "rows": [_row(r) for r in rows],
        "next": queries.next_cursor(rows, more) or None,
    }


@router.get(
    "/fhir/Task",
    response=responses(dict),
    summary="FHIR search for referral Tasks (SDOHCC polling)",
)
def fhir_task_search(request):
    """``owner`` (Organization id = agency id), ``status`` (comma-separated), ``_lastupdated``
    (``gt``/``ge``/``lt``/``le`` + instant, may repeat), ``requester``, ``_include=Task:focus``.
    Only referrals the caller's agency sent, or received under a referral consent in force."""
    actor = _casework(request)
    params = request.GET
    qs = queries.followed_qs(actor)
    for name in ("owner", "requester"):
        if value := params.get(name):
            agency_id = _uuid_param(value.removeprefix("Organization/"), name)
            field = "recipient_agency_id" if name == "owner" else "sending_agency_id"
            qs = qs.filter(**{field: agency_id})
    if status := params.get("status"):
        codes = [s.strip() for s in status.split(",") if s.strip()]
        unknown = set(codes) - set(fhir.REFERRAL_TASK_STATUS)
        if unknown:
            raise CodedError(
                Code.INVALID_SEARCH, _("Unknown status: %(s)s") % {"s": ", ".join(sorted(unknown))}
            )
        qs = qs.filter(status__in=codes)
    ops = {"gt": "gt", "ge": "gte", "lt": "lt", "le": "lte", "eq": "exact"}
    for value in params.getlist("_lastupdated"):
        try:
            prefix_, moment = fhir.parse_instant(value)
        except ValueError:
            raise CodedError(
                Code.INVALID_SEARCH, _("_lastupdated must be like gt2026-01-31T00:00:00Z.")
            ) from None
        qs = qs.filter(**{f"updated_at__{ops[prefix_]}": moment})
    rows = list(
        qs.select_related("sending_agency", "recipient_agency").order_by("updated_at", "pk")[
            : queries.LIST_LIMIT
        ]
    )
    include = "Task:focus" in params.getlist("_include")
    return fhir.search_bundle(rows, self_url=request.build_absolute_uri(), include_focus=include)


def _uuid_param(value: str, name: str):
    try:
        return uuid.UUID(value)
    except ValueError:
        raise CodedError(
            Code.INVALID_SEARCH, _("%(name)s must be an Organization id.") % {"name": name}
        ) from None


@router.post(
    "/",
    response=responses(ReferralDetailOut, 409, 410, ok_status=201),
    summary="Make a referral",
)
def create(request, payload: ReferralIn):
    actor = _casework(request)
    access = get_access(actor, payload.person_id)
    if not access.is_owner:
        raise Http404
    service = None
    if payload.service_id:
        service = Service.objects.filter(pk=payload.service_id).first()
        if service is None:
            raise CodedError(Code.SERVICE_UNKNOWN, _("There is no such service in the directory."))
    agency = None
    if payload.recipient_agency_id:
        agency = Agency.objects.filter(pk=payload.recipient_agency_id).first()
        if agency is None:
            raise CodedError(Code.RECIPIENT_INVALID, _("There is no such agency."))
    referral = actions.create_referral(
        access.person,
        actions.ReferralRequest(
            service=service,
            recipient_agency=agency,
            service_category=payload.service_category,
            need_id=payload.need_id,
            goal_id=payload.goal_id,
            priority=payload.priority,
            note=payload.note,
            reason=payload.reason_for_referral,
            direct_contact=payload.direct_contact,
            send=payload.send,
            confirm_withheld=payload.confirm_withheld,
            interpreter=payload.interpreter.answer() if payload.interpreter else None,
        ),
        actor=actor,
    )
    view = queries.get_referral(actor, referral.pk)
    return HttpStatus(201, _out(view))


@router.get("/{referral_id}/", response=responses(ReferralDetailOut, 410), summary="One referral")
def detail(request, referral_id: uuid.UUID):
    """The receiving agency gets ``payload``: exactly the consented data (audited)."""
    actor = _casework(request)
    view = queries.get_referral(actor, referral_id)
    payload = None
    if not view.is_sender:
        actions.record_opened(view.referral, actor=actor)
        payload = queries.referral_payload(actor, view.referral)
    return _out(view, payload=payload)


def _transition(request, referral_id: uuid.UUID, name: str, body: TransitionIn):
    actor = _casework(request)
    view = queries.get_referral(actor, referral_id)
    actions.transition(
        view.referral,
        name,
        actor=actor,
        reason=body.reason,
        outcome=getattr(body, "outcome", ""),
        note=body.note,
        expected_version=body.version,
        confirm_withheld=getattr(body, "confirm_withheld", False),
    )
    view = queries.get_referral(actor, referral_id)
    return _out(view)


def _make_endpoint(name: str):
    body_schema = _transition_schema(TRANSITIONS[name])

    def endpoint(request, referral_id, body):
        return _transition(request, referral_id, name, body)

    endpoint.__annotations__ = {"referral_id": uuid.UUID, "body": body_schema}

    endpoint.__name__ = f"transition_{name}"
    return endpoint


for _name in (n for n, t in TRANSITIONS.items() if t.side != AUTOMATIC):
    router.post(
        f"/{{referral_id}}/{_name.replace('_', '-')}/",
        response=responses(ReferralOut, 409, 410),
        summary=f"Transition: {_name}",
        operation_id=f"referral_{_name}",
    )(_make_endpoint(_name))


class UpdateIn(Input):
    note: str
    version: int | None = None


@router.post(
    "/{referral_id}/updates/",
    response=responses(ReferralOut, 409, 410),
    summary="Add a progress update",
)
def add_update(request, referral_id: uuid.UUID, body: UpdateIn):
    actor = _casework(request)
    view = queries.get_referral(actor, referral_id)
    actions.add_update(view.referral, actor=actor, note=body.note, expected_version=body.version)
    view = queries.get_referral(actor, referral_id)
    return _out(view)


@router.get(
    "/{referral_id}/fhir/",
    response=responses(dict, 410),
    summary="The referral as a FHIR R4 Bundle (consented data only)",
)
def fhir_bundle(request, referral_id: uuid.UUID):
    """Task, ServiceRequest, Patient (consented fields only), the Consents in force and the Goal."""
    actor = _casework(request)
    view = queries.get_referral(actor, referral_id)
    referral = view.referral
    payload = queries.referral_payload(actor, referral, action="referral.fhir_export")
    consent_ids = sorted({cid for ids in payload["consents"].values() for cid in ids})
    consents = list(
        Consent.objects.filter(pk__in=consent_ids)
        .select_related("recipient_agency", "disclosing_agency")
        .order_by("pk")
    )
    goal = queries.linked_goal(referral) if payload.get("goal") else None
    return fhir.referral_bundle(referral, payload, consents=consents, goal=goal)
