"""Creating a referral: to a directory service or a network agency, as a draft or sent at once."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wayfinder.access.gate import access_for
from wayfinder.accounts.actor import Actor
from wayfinder.accounts.models import Agency
from wayfinder.assessments.models import Need
from wayfinder.audit.events import record
from wayfinder.core.errors import CodedError
from wayfinder.core.interpretation import InterpreterAnswer
from wayfinder.core.service_categories import ServiceCategory
from wayfinder.directory.interpreters import interpreter_detail, resolve_interpreter
from wayfinder.directory.models import Attribute, Organization, Service
from wayfinder.directory.queries import agency_for_organization_id
from wayfinder.directory.taxonomy import CATEGORY_BY_TERM_ID
from wayfinder.people.models import Person
from wayfinder.plans.models import Goal
from wayfinder.referrals import notify
from wayfinder.referrals.actions.checks import (
    check_sharing,
    check_withheld,
    clean_note,
    sealed_note,
    sealed_reason,
)
from wayfinder.referrals.actions.reminders import remind_after_commit
from wayfinder.referrals.errors import ReferralErrorCode as Code
from wayfinder.referrals.models import (
    PRIORITY_FOR_URGENCY,
    Delivery,
    EventKind,
    NotificationKind,
    Priority,
    Referral,
    ReferralEvent,
    Status,
)
from wayfinder.referrals.sharing import DIRECT_METHODS, on_wayfinder, sharing


def service_categories(service: Service) -> list[str]:
    terms = Attribute.objects.filter(
        link_id=service.id, taxonomy_term_id__in=list(CATEGORY_BY_TERM_ID)
    ).values_list("taxonomy_term_id", flat=True)
    return sorted({CATEGORY_BY_TERM_ID[t] for t in terms})


def _check_need(person: Person, need_id):
    if not need_id:
        return None
    try:
        need = Need.objects.filter(pk=need_id, person_id=person.pk).first()
    except (ValidationError, ValueError):
        need = None
    if need is None:
        raise CodedError(Code.NEED_UNKNOWN, _("That need is not on this record."), field="need_id")
    return need


def _check_goal(person: Person, goal_id):
    if not goal_id:
        return None
    try:
        goal = Goal.objects.filter(pk=goal_id, person_id=person.pk).first()
    except (ValidationError, ValueError):
        goal = None
    if goal is None:
        raise CodedError(
            Code.GOAL_UNKNOWN, _("That goal is not in this person's plan."), field="goal_id"
        )
    return goal


@dataclass(frozen=True)
class ReferralRequest:
    """What to refer the person to, and how, as the form, the API or the demo gathered it."""

    service: Service | None = None
    recipient_agency: Agency | None = None
    service_category: str = ""
    need_id: uuid.UUID | str | None = None
    goal_id: uuid.UUID | str | None = None
    priority: str = ""
    note: str = ""
    # The reason for referral, written for the partner (the "referral_reason" consent category).
    reason: str = ""
    direct_contact: bool = False
    send: bool = True
    # The sender saw that the partner will not see the note or reason, and sends anyway.
    confirm_withheld: bool = False
    # Who interpreted the conversation about the referral (``directory.interpreters``).
    interpreter: InterpreterAnswer | None = None


@transaction.atomic
def create_referral(person: Person, request: ReferralRequest, *, actor: Actor) -> Referral:
    """Refer a person to a directory service or to a network agency (owning agency's casework staff).

    ``send=False`` keeps a draft, which shares nothing. Sending to an agency on Wayfinder needs an
    active referral consent naming it; an organisation that is not on Wayfinder gets a packet
    holding only what a consent names (nothing about the person when there is none).
    """
    access = access_for(actor, person)
    if access is None or not access.is_owner:
        raise PermissionDenied
    service, recipient_agency, send = request.service, request.recipient_agency, request.send
    service_category, priority, note = request.service_category, request.priority, request.note
    organization = None
    if service is not None:
        if service.status != "active":
            raise CodedError(
                Code.SERVICE_INACTIVE,
                _("This service is not taking people at present."),
                field="service",
            )
        org_agency = agency_for_organization_id(service.organization_id)
        if (
            recipient_agency is not None
            and org_agency is not None
            and recipient_agency != org_agency
        ):
            raise CodedError(
                Code.RECIPIENT_MISMATCH,
                _("That service belongs to another agency."),
                field="service",
            )
        recipient_agency = org_agency or recipient_agency
        organization = (
            Organization.objects.filter(pk=service.organization_id).first()
            if service.organization_id
            else None
        )
    elif recipient_agency is None:
        raise CodedError(Code.TARGET_REQUIRED, _("Choose a service or an agency."), field="service")
    if recipient_agency is not None and recipient_agency.pk == actor.agency.pk:
        raise CodedError(
            Code.RECIPIENT_IS_SENDER,
            _("Choose another agency: a referral goes outside your own agency."),
            field="recipient_agency",
        )
    if recipient_agency is not None and not recipient_agency.is_active:
        raise CodedError(
            Code.RECIPIENT_INACTIVE, _("That agency is no longer active."), field="recipient_agency"
        )

    need = _check_need(person, request.need_id)
    goal = _check_goal(person, request.goal_id)
    offered = service_categories(service) if service is not None else []
    if not service_category and need is not None and (not offered or need.category in offered):
        service_category = need.category
    service_category = service_category or (offered[0] if offered else "")
    if service_category not in ServiceCategory.values:
        raise CodedError(
            Code.CATEGORY_REQUIRED,
            _("Say what kind of service is needed."),
            field="service_category",
        )
    if offered and service_category not in offered:
        raise CodedError(
            Code.CATEGORY_NOT_OFFERED,
            _("This service does not offer that kind of help."),
            field="service_category",
        )
    priority = priority or (PRIORITY_FOR_URGENCY.get(need.urgency) if need else "") or "routine"
    if priority not in Priority.values:
        raise CodedError(Code.PRIORITY_INVALID, _("Choose a priority."), field="priority")
    note = clean_note(note)
    reason = clean_note(request.reason, field="reason")
    interpreter_fields = resolve_interpreter(request.interpreter)

    delivery = Delivery.NETWORK if on_wayfinder(recipient_agency) else Delivery.PACKET
    shared = sharing(person, recipient_agency)
    if send:
        shared = check_sharing(
            person, recipient_agency, service_category, required=delivery == Delivery.NETWORK
        )
    withheld = (
        check_withheld(shared, note=note, reason=reason, confirmed=request.confirm_withheld)
        if send
        else []
    )
    if request.direct_contact and not (
        "contact" in shared and person.safe_contact_method in DIRECT_METHODS
    ):
        raise CodedError(
            Code.CONTACT_NOT_ALLOWED,
            _(
                "The partner may contact the person directly only if the person chose a safe "
                "way to be contacted and agreed to share their contact details with this agency."
            ),
            field="direct_contact",
        )

    now = timezone.now()
    status = Status.REQUESTED if send else Status.DRAFT
    referral = Referral(
        person=person,
        sending_agency=actor.agency,
        created_by=actor.user,
        recipient_agency=recipient_agency,
        organization=organization,
        service=service,
        recipient_name=(
            recipient_agency.name
            if recipient_agency is not None
            else (organization.name if organization is not None else service.name)
        )[:300],
        service_name=(service.name if service is not None else "")[:300],
        service_category=service_category,
        need_id=need.pk if need else None,
        goal_id=goal.pk if goal else None,
        priority=priority,
        delivery=delivery,
        contact_prohibited=not request.direct_contact,
        note_ct=sealed_note(person, note),
        referral_reason_ct=sealed_reason(person, reason),
        status=status,
        status_changed_at=now,
        last_activity_at=now,
        sent_at=now if send else None,
        consent_ids=sorted({cid for ids in shared.values() for cid in ids}) if send else [],
        **interpreter_fields,
    )
    referral.save()
    ReferralEvent.objects.create(
        referral=referral,
        kind=EventKind.CREATED,
        to_status=Status.DRAFT,
        actor=actor.user,
        agency=actor.agency,
    )
    if send:
        ReferralEvent.objects.create(
            referral=referral,
            kind=EventKind.TRANSITION,
            from_status=Status.DRAFT,
            to_status=Status.REQUESTED,
            actor=actor.user,
            agency=actor.agency,
        )
    record(
        "referral.create",
        category="referrals",
        actor=actor,
        obj=referral,
        person=person,
        categories=sorted(shared),
        detail={
            "status": status,
            "delivery": delivery,
            "recipient_agency_id": str(recipient_agency.pk) if recipient_agency else None,
            "service_id": service.pk if service else None,
            "service_category": service_category,
            "need_id": str(need.pk) if need else None,
            "goal_id": str(goal.pk) if goal else None,
            "contact_prohibited": referral.contact_prohibited,
            **interpreter_detail(referral),
            "note": bool(note),
            "reason": bool(reason),
            "withheld": withheld,
            "consents": referral.consent_ids,
        },
    )
    if send and delivery == Delivery.NETWORK:
        notify.notify(referral, NotificationKind.NEW_REFERRAL, agency=recipient_agency)
    remind_after_commit(referral, acknowledge=send and delivery == Delivery.NETWORK)
    return referral
