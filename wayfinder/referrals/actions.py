"""Every write to a referral. One transaction each, with its audit event (ids and codes only).

Transitions follow ``models.TRANSITIONS``. Under concurrency exactly one wins: the row is locked
(``select_for_update``) and then changed with a conditional UPDATE on its ``version``; a caller
whose copy is older than the row gets the coded error ``conflict``, a move the workflow does not
allow from the current status gets ``illegal_transition``. Refusals of the actor (not a party to
the referral, or a partner whose consent ended) are ``PermissionDenied`` — a 404 to the outside.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wayfinder.accounts.actor import Actor
from wayfinder.accounts.models import CASEWORK_ROLES, Agency, Membership
from wayfinder.audit.events import record
from wayfinder.consent.models import Purpose
from wayfinder.consent.queries import disclosable
from wayfinder.core.access import access_for
from wayfinder.core.errors import CodedError
from wayfinder.core.service_categories import ServiceCategory
from wayfinder.directory.models import Organization, Service
from wayfinder.directory.queries import agency_for_organization_id
from wayfinder.people.models import ContactMethod, Person
from wayfinder.people.sealing import seal
from wayfinder.referrals import notify
from wayfinder.referrals.errors import ReferralErrorCode as Code
from wayfinder.referrals.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    PRIORITY_FOR_URGENCY,
    TRANSITIONS,
    Delivery,
    EventKind,
    NotificationKind,
    Outcome,
    Priority,
    Reason,
    Referral,
    ReferralEvent,
    Side,
    Status,
)

logger = logging.getLogger(__name__)

NOTE_PURPOSE = "referral-note"
MAX_NOTE = 4000
PURPOSE = Purpose.REFERRAL
# Contact methods a partner could use directly, if the person agreed to it for that agency.
DIRECT_METHODS = {ContactMethod.PHONE, ContactMethod.TEXT, ContactMethod.EMAIL}


# --- who is who ----------------------------------------------------------------------------------


def on_wayfinder(agency: Agency | None) -> bool:
    """An active agency with at least one active casework member: it has an inbox here."""
    if agency is None or not agency.is_active:
        return False
    return Membership.objects.filter(
        agency=agency, is_active=True, role__in=CASEWORK_ROLES, user__is_active=True
    ).exists()


def sensitive_category(service_category: str) -> str | None:
    """The consent category a referral for this kind of service reveals by itself (or None).

    A referral to substance use treatment *is* substance use information (42 CFR Part 2), one to
    immigration legal services is immigration information, and so on.
    """
    from wayfinder.assessments.models import NEED_DATA_CATEGORY

    return NEED_DATA_CATEGORY.get(service_category)


def sharing(person: Person, agency: Agency | None) -> dict[str, list[str]]:
    """{category: [consent ids]} that ``agency`` may receive now for a referral ({} if none)."""
    if agency is None:
        return {}
    return disclosable(person, agency, PURPOSE)


def check_sharing(person: Person, agency: Agency | None, service_category: str, *, required: bool):
    """The consents in force for sending, or a coded error.

    ``required``: a referral to an agency on Wayfinder cannot go without an active referral
    consent naming it. Whenever something is shared, the consent must also cover what the kind
    of service reveals (substance use treatment needs a Part 2 consent that names it).
    """
    shared = sharing(person, agency)
    if required and not shared:
        raise CodedError(
            Code.CONSENT_REQUIRED,
            _(
                "The person has not agreed to share anything with %(agency)s for a referral. "
                "Record their consent first."
            )
            % {"agency": agency.name if agency else ""},
        )
    needed = sensitive_category(service_category)
    if shared and needed and needed not in shared:
        raise CodedError(
            Code.CONSENT_MISSING_CATEGORY,
            _(
                "A referral for this kind of service tells the partner about %(category)s, and "
                "the person's consent does not include it."
            )
            % {"category": _category_label(needed)},
        )
    return shared


def _category_label(category: str) -> str:
    from wayfinder.core.categories import Category

    return str(Category(category).label).lower()


def _is_party(actor: Actor, agency_id) -> bool:
    return actor.agency is not None and actor.is_casework and actor.agency.pk == agency_id


def _check_side(referral: Referral, actor: Actor, side: str) -> bool:
    """Whether the actor may act for ``side``; returns True when recording for an outside org."""
    if side == Side.SENDER:
        if not _is_party(actor, referral.sending_agency_id):
            raise PermissionDenied
        return False
    if referral.delivery == Delivery.PACKET:
        # The organisation is not on Wayfinder: the referring agency records its answer.
        if not _is_party(actor, referral.sending_agency_id):
            raise PermissionDenied
        return True
    if not _is_party(actor, referral.recipient_agency_id) or referral.status == Status.DRAFT:
        raise PermissionDenied
    if not sharing(referral.person, referral.recipient_agency):
        raise PermissionDenied  # the consent ended: the partner can no longer act on it
    return False


def _note(value: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_NOTE:
        raise CodedError(Code.NOTE_TOO_LONG, _("Keep the note to 4000 characters."), field="note")
    return value


def _sealed(person: Person, text: str):
    return seal(person, {"text": text}, NOTE_PURPOSE) if text else None


# --- reminders (scheduled on commit) -------------------------------------------------------------


def schedule_reminders(referral_id, version: int, *, acknowledge: bool) -> None:
    """Enqueue the service-level checks for this version of the referral (django-tasks)."""
    from wayfinder.referrals import tasks

    now = timezone.now()
    try:
        if acknowledge:
            tasks.check_acknowledged.using(
                run_after=now + timedelta(hours=settings.WAYFINDER_REFERRAL_ACK_HOURS)
            ).enqueue(str(referral_id), version)
        tasks.check_stale.using(
            run_after=now + timedelta(days=settings.WAYFINDER_REFERRAL_STALE_DAYS)
        ).enqueue(str(referral_id), version)
    except Exception:  # the queue being down must not undo a referral; the inbox still flags it
        logger.exception("could not schedule referral reminders for %s", referral_id)


def _after_commit(referral: Referral, *, acknowledge: bool = False) -> None:
    if referral.status in OPEN_STATUSES:
        rid, version = referral.pk, referral.version
        transaction.on_commit(lambda: schedule_reminders(rid, version, acknowledge=acknowledge))


# --- create --------------------------------------------------------------------------------------


def service_categories(service: Service) -> list[str]:
    from wayfinder.directory.models import Attribute
    from wayfinder.directory.taxonomy import CATEGORY_BY_TERM_ID

    terms = Attribute.objects.filter(
        link_id=service.id, taxonomy_term_id__in=list(CATEGORY_BY_TERM_ID)
    ).values_list("taxonomy_term_id", flat=True)
    return sorted({CATEGORY_BY_TERM_ID[t] for t in terms})


def _check_need(person: Person, need_id):
    if not need_id:
        return None
    from wayfinder.assessments.models import Need

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
        goal_model = apps.get_model("plans", "Goal")
    except LookupError:
        return None
    try:
        goal = goal_model.objects.filter(pk=goal_id, person_id=person.pk).first()
    except (ValidationError, ValueError):
        goal = None
    if goal is None:
        raise CodedError(
            Code.GOAL_UNKNOWN, _("That goal is not in this person's plan."), field="goal_id"
        )
    return goal


@transaction.atomic
def create_referral(
    person: Person,
    *,
    actor: Actor,
    service: Service | None = None,
    recipient_agency: Agency | None = None,
    service_category: str = "",
    need_id=None,
    goal_id=None,
    priority: str = "",
    note: str = "",
    direct_contact: bool = False,
    send: bool = True,
) -> Referral:
    """Refer a person to a directory service or to a network agency (owning agency's casework staff).

    ``send=False`` keeps a draft, which shares nothing. Sending to an agency on Wayfinder needs an
    active referral consent naming it; an organisation that is not on Wayfinder gets a packet
    holding only what a consent names (nothing about the person when there is none).
    """
    access = access_for(actor, person)
    if access is None or not access.is_owner:
        raise PermissionDenied
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

    need = _check_need(person, need_id)
    goal = _check_goal(person, goal_id)
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
    note = _note(note)

    delivery = Delivery.NETWORK if on_wayfinder(recipient_agency) else Delivery.PACKET
    shared = sharing(person, recipient_agency)
    if send:
        shared = check_sharing(
            person, recipient_agency, service_category, required=delivery == Delivery.NETWORK
        )
    if direct_contact and not (
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
        contact_prohibited=not direct_contact,
        note_ct=_sealed(person, note),
        status=status,
        status_changed_at=now,
        last_activity_at=now,
        sent_at=now if send else None,
        consent_ids=sorted({cid for ids in shared.values() for cid in ids}) if send else [],
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
            "note": bool(note),
            "consents": referral.consent_ids,
        },
    )
    if send and delivery == Delivery.NETWORK:
        notify.notify(referral, NotificationKind.NEW_REFERRAL, agency=recipient_agency)
    _after_commit(referral, acknowledge=send and delivery == Delivery.NETWORK)
    return referral


# --- transitions ---------------------------------------------------------------------------------


def _lock(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("person", "recipient_agency", "sending_agency", "created_by")
        .get(pk=referral.pk)
    )


@transaction.atomic
def transition(
    referral: Referral,
    name: str,
    *,
    actor: Actor,
    reason: str = "",
    outcome: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Referral:
    """Move the referral along the workflow (``name``: a key of ``TRANSITIONS``).

    ``expected_version`` is the version the caller saw (default: the one on ``referral``).
    """
    spec = TRANSITIONS.get(name)
    if spec is None:
        raise CodedError(Code.ILLEGAL_TRANSITION, _("Unknown step."), status=409)
    row = _lock(referral)
    on_behalf = _check_side(row, actor, spec.side)
    seen = expected_version if expected_version is not None else referral.version
    if row.version != seen:
        raise CodedError(
            Code.CONFLICT,
            _("Someone else changed this referral a moment ago: it is now “%(status)s”.")
            % {"status": row.get_status_display()},
            status=409,
        )
    if row.status not in spec.sources:
        raise CodedError(
            Code.ILLEGAL_TRANSITION,
            _("A referral that is “%(status)s” cannot be moved that way.")
            % {"status": row.get_status_display()},
            status=409,
        )
    note = _note(note)
    if spec.needs_reason or reason:
        if reason not in Reason.values:
            raise CodedError(Code.REASON_REQUIRED, _("Choose a reason."), field="reason")
        if reason == Reason.OTHER and not note:
            raise CodedError(Code.NOTE_REQUIRED, _("Explain the reason in the note."), field="note")
    if spec.needs_outcome:
        if outcome not in Outcome.values:
            raise CodedError(
                Code.OUTCOME_REQUIRED, _("Say what came of the referral."), field="outcome"
            )
    elif outcome:
        raise CodedError(Code.OUTCOME_NOT_EXPECTED, _("Only a completed referral has an outcome."))

    shared = {}
    if name == "submit":
        shared = check_sharing(
            row.person,
            row.recipient_agency,
            row.service_category,
            required=row.delivery == Delivery.NETWORK,
        )

    now = timezone.now()
    changes = {
        "status": spec.target,
        "version": F("version") + 1,
        "status_changed_at": now,
        "last_activity_at": now,
        "updated_at": now,
        "reason": reason if spec.needs_reason or reason else "",
        "outcome": outcome,
    }
    if name == "submit":
        changes["sent_at"] = now
        changes["consent_ids"] = sorted({cid for ids in shared.values() for cid in ids})
    if name in {"accept", "reject"}:
        changes["acknowledged_at"] = now
    if spec.target in CLOSED_STATUSES:
        changes["closed_at"] = now
    # The conditional UPDATE makes the version check hold even where row locks do not exist.
    if not Referral.objects.filter(pk=row.pk, version=row.version).update(**changes):
        raise CodedError(
            Code.CONFLICT, _("Someone else changed this referral a moment ago."), status=409
        )
    previous = row.status
    row.refresh_from_db()
    ReferralEvent.objects.create(
        referral=row,
        kind=EventKind.TRANSITION,
        from_status=previous,
        to_status=spec.target,
        actor=actor.user,
        agency=actor.agency,
        on_behalf=on_behalf,
        reason=changes["reason"],
        outcome=outcome,
        note_ct=_sealed(row.person, note),
    )
    record(
        f"referral.{name}",
        category="referrals",
        actor=actor,
        obj=row,
        person=row.person,
        categories=sorted(shared),
        detail={
            "from": previous,
            "to": spec.target,
            "reason": changes["reason"],
            "outcome": outcome,
            "note": bool(note),
            "on_behalf": on_behalf,
            "version": row.version,
            **({"consents": changes["consent_ids"]} if name == "submit" else {}),
        },
    )
    _notify_transition(row, name, actor)
    _after_commit(row, acknowledge=name == "submit" and row.delivery == Delivery.NETWORK)
    return row


def _notify_transition(referral: Referral, name: str, actor: Actor) -> None:
    network = referral.delivery == Delivery.NETWORK
    if name == "submit":
        if network:
            notify.notify(referral, NotificationKind.NEW_REFERRAL, agency=referral.recipient_agency)
        return
    if TRANSITIONS[name].side == Side.RECIPIENT and network:
        if referral.created_by is not None and referral.created_by.is_active:
            notify.notify(referral, NotificationKind.STATUS_CHANGED, user=referral.created_by)
        else:
            notify.notify(referral, NotificationKind.STATUS_CHANGED, agency=referral.sending_agency)
    elif network and referral.sent_at is not None:
        notify.notify(
            referral,
            NotificationKind.STATUS_CHANGED,
            agency=referral.recipient_agency,
            exclude_user=actor.user,
        )


def submit_referral(referral: Referral, *, actor: Actor, **kw) -> Referral:
    return transition(referral, "submit", actor=actor, **kw)


def accept_referral(referral: Referral, *, actor: Actor, note: str = "", **kw) -> Referral:
    return transition(referral, "accept", actor=actor, note=note, **kw)


def reject_referral(referral: Referral, *, actor: Actor, reason: str, note: str = "", **kw):
    return transition(referral, "reject", actor=actor, reason=reason, note=note, **kw)


def start_referral(referral: Referral, *, actor: Actor, note: str = "", **kw) -> Referral:
    return transition(referral, "start", actor=actor, note=note, **kw)


def hold_referral(referral: Referral, *, actor: Actor, reason: str = "", note: str = "", **kw):
    return transition(referral, "hold", actor=actor, reason=reason, note=note, **kw)


def resume_referral(referral: Referral, *, actor: Actor, note: str = "", **kw) -> Referral:
    return transition(referral, "resume", actor=actor, note=note, **kw)


def complete_referral(referral: Referral, *, actor: Actor, outcome: str, note: str = "", **kw):
    return transition(referral, "complete", actor=actor, outcome=outcome, note=note, **kw)


def cancel_referral(referral: Referral, *, actor: Actor, reason: str, note: str = "", **kw):
    return transition(referral, "cancel", actor=actor, reason=reason, note=note, **kw)


def fail_referral(referral: Referral, *, actor: Actor, reason: str, note: str = "", **kw):
    return transition(referral, "fail", actor=actor, reason=reason, note=note, **kw)


# --- events that are not transitions -------------------------------------------------------------


@transaction.atomic
def add_update(
    referral: Referral, *, actor: Actor, note: str, expected_version: int | None = None
) -> Referral:
    """A progress note from either side on an open referral (resets the "no update" clock)."""
    row = _lock(referral)
    side = Side.SENDER if _is_party(actor, row.sending_agency_id) else Side.RECIPIENT
    _check_side(row, actor, side)
    seen = expected_version if expected_version is not None else referral.version
    if row.version != seen:
        raise CodedError(
            Code.CONFLICT, _("Someone else changed this referral a moment ago."), status=409
        )
    if row.status not in OPEN_STATUSES:
        raise CodedError(
            Code.ILLEGAL_TRANSITION, _("Only an open referral takes updates."), status=409
        )
    note = _note(note)
    if not note:
        raise CodedError(Code.NOTE_REQUIRED, _("Write the update."), field="note")
    now = timezone.now()
    Referral.objects.filter(pk=row.pk, version=row.version).update(
        version=F("version") + 1, last_activity_at=now, updated_at=now
    )
    row.refresh_from_db()
    ReferralEvent.objects.create(
        referral=row,
        kind=EventKind.UPDATE,
        actor=actor.user,
        agency=actor.agency,
        note_ct=_sealed(row.person, note),
    )
    record(
        "referral.update",
        category="referrals",
        actor=actor,
        obj=row,
        person=row.person,
        detail={"side": side, "version": row.version},
    )
    if row.delivery == Delivery.NETWORK:
        if side == Side.RECIPIENT and row.created_by is not None:
            notify.notify(row, NotificationKind.UPDATE, user=row.created_by)
        elif side == Side.SENDER:
            notify.notify(
                row, NotificationKind.UPDATE, agency=row.recipient_agency, exclude_user=actor.user
            )
    _after_commit(row)
    return row


def record_opened(referral: Referral, *, actor: Actor) -> bool:
    """The receiving agency's first look at the referral (an event, not a status). True if first."""
    if referral.first_opened_at is not None or not _is_party(actor, referral.recipient_agency_id):
        return False
    with transaction.atomic():
        now = timezone.now()
        if not Referral.objects.filter(pk=referral.pk, first_opened_at__isnull=True).update(
            first_opened_at=now
        ):
            return False
        referral.first_opened_at = now
        ReferralEvent.objects.create(
            referral=referral, kind=EventKind.OPENED, actor=actor.user, agency=actor.agency
        )
        record(
            "referral.open", category="referrals", actor=actor, obj=referral, person=referral.person
        )
    return True


@transaction.atomic
def record_packet_printed(referral: Referral, *, actor: Actor, categories, consents) -> None:
    """The referring agency printed the packet for an organisation not on Wayfinder."""
    if not _is_party(actor, referral.sending_agency_id):
        raise PermissionDenied
    ReferralEvent.objects.create(
        referral=referral, kind=EventKind.PACKET_PRINTED, actor=actor.user, agency=actor.agency
    )
    record(
        "referral.packet_print",
        category="referrals",
        actor=actor,
        obj=referral,
        person=referral.person,
        categories=sorted(categories),
        detail={"consents": consents},
    )


def packet_notice(referral: Referral, sender: Agency) -> tuple[str, str]:
    """The e-mail to an organisation not on Wayfinder: a notice and how to get the packet safely."""
    subject = _("A referral from %(agency)s") % {"agency": sender.name}
    body = "\n\n".join(
        [
            _("%(agency)s would like to refer someone to your service. Reference: %(ref)s.")
            % {"agency": sender.name, "ref": referral.reference},
            _(
                "For the person's safety this e-mail holds no personal information. Please call "
                "%(agency)s and give the reference above: they will hand over the referral packet "
                "in person, by secure fax or as an encrypted file, never by ordinary e-mail."
            )
            % {"agency": sender.name},
            _("Please do not contact the person directly unless the packet says you may."),
        ]
    )
    return subject, body


@transaction.atomic
def email_packet_notice(referral: Referral, *, actor: Actor, email: str) -> None:
    """E-mail the organisation a notice (no personal data) with safe instructions for the packet."""
    if not _is_party(actor, referral.sending_agency_id):
        raise PermissionDenied
    if referral.delivery != Delivery.PACKET:
        raise CodedError(
            Code.NOT_A_PACKET, _("This partner receives the referral in Wayfinder."), field="email"
        )
    if referral.status == Status.DRAFT:
        raise CodedError(Code.ILLEGAL_TRANSITION, _("Send the referral first."), field="email")
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise CodedError(
            Code.EMAIL_INVALID, _("Enter a valid e-mail address."), field="email"
        ) from None
    ReferralEvent.objects.create(
        referral=referral, kind=EventKind.PACKET_EMAILED, actor=actor.user, agency=actor.agency
    )
    record(
        "referral.packet_email",
        category="referrals",
        actor=actor,
        obj=referral,
        person=referral.person,
        detail={"personal_data": False},
    )
    subject, body = packet_notice(referral, actor.agency)

    def send():
        from django.core.mail import EmailMessage

        try:
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email]).send()
        except Exception:
            logger.exception("referral packet notice failed (referral %s)", referral.pk)

    transaction.on_commit(send)


# --- reminders -----------------------------------------------------------------------------------


@transaction.atomic
def send_reminder(referral_id, version: int, kind: str) -> bool:
    """The 48-hour / 14-day check: notify both sides unless the referral has moved on since."""
    row = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("person", "recipient_agency", "sending_agency", "created_by")
        .filter(pk=referral_id)
        .first()
    )
    if row is None or row.version != version or row.person.is_forgotten:
        return False
    if kind == NotificationKind.NOT_ACKNOWLEDGED and row.status != Status.REQUESTED:
        return False
    if kind == NotificationKind.STALE and row.status not in OPEN_STATUSES:
        return False
    ReferralEvent.objects.create(referral=row, kind=EventKind.REMINDER)
    record(
        "referral.reminder",
        category="referrals",
        obj=row,
        person=row.person,
        via="task",
        detail={"kind": kind, "version": version, "status": row.status},
    )
    if row.delivery == Delivery.NETWORK:
        notify.notify(row, kind, agency=row.recipient_agency)
    if row.created_by is not None and row.created_by.is_active:
        notify.notify(row, kind, user=row.created_by)
    else:
        notify.notify(row, kind, agency=row.sending_agency)
    return True


# --- notifications -------------------------------------------------------------------------------


def mark_notifications_read(actor: Actor, ids=None) -> int:
    """Mark the actor's (and their agency's) notifications read; all of them when ``ids`` is None."""
    from wayfinder.referrals.queries import notifications_for

    qs = notifications_for(actor).filter(read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    with transaction.atomic():
        count = qs.update(read_at=timezone.now(), read_by=actor.user)
        if count:
            record(
                "referral.notifications_read",
                category="referrals",
                actor=actor,
                detail={"count": count},
            )
    return count
