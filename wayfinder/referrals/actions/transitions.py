"""Moving a referral along the workflow, and the events on it that are not transitions.

Transitions follow ``models.TRANSITIONS``. Under concurrency exactly one wins: the row is locked
(``select_for_update``) and then changed with a conditional UPDATE on its ``version``; a caller
whose copy is older than the row gets the coded error ``conflict``, a move the workflow does not
allow from the current status gets ``illegal_transition``. Refusals of the actor (not a party to
the referral, or a partner whose consent ended) are ``PermissionDenied`` — a 404 to the outside.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wayfinder.accounts.actor import Actor
from wayfinder.audit.events import record
from wayfinder.consent.models import Purpose
from wayfinder.core.errors import CodedError
from wayfinder.people.sealing import unseal
from wayfinder.referrals import notify
from wayfinder.referrals.actions.checks import (
    check_sharing,
    check_side,
    check_withheld,
    clean_note,
    is_party,
    sealed_note,
)
from wayfinder.referrals.actions.reminders import remind_after_commit
from wayfinder.referrals.errors import ReferralErrorCode as Code
from wayfinder.referrals.models import (
    AUTOMATIC,
    CLOSED_STATUSES,
    OPEN_STATUSES,
    TRANSITIONS,
    Delivery,
    EventKind,
    NotificationKind,
    Outcome,
    Reason,
    Referral,
    ReferralEvent,
    Side,
)
from wayfinder.referrals.sharing import NOTE_PURPOSE, REASON_PURPOSE, sharing


def _text(person, blob, purpose: str) -> str:
    if blob is None:
        return ""
    return (unseal(person, bytes(blob), purpose) or {}).get("text", "")


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
    confirm_withheld: bool = False,
) -> Referral:
    """Move the referral along the workflow (``name``: a key of ``TRANSITIONS``).

    ``expected_version`` is the version the caller saw (default: the one on ``referral``).
    ``confirm_withheld`` (submit only): send even though the partner will not see the note or
    the reason, which no consent covers.
    """
    spec = TRANSITIONS.get(name)
    if spec is None or spec.side == AUTOMATIC:
        raise CodedError(Code.ILLEGAL_TRANSITION, _("Unknown step."), status=409)
    row = _lock(referral)
    on_behalf = check_side(row, actor, spec.side)
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
    note = clean_note(note)
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
    withheld = []
    if name == "submit":
        shared = check_sharing(
            row.person,
            row.recipient_agency,
            row.service_category,
            required=row.delivery == Delivery.NETWORK,
        )
        withheld = check_withheld(
            shared,
            note=_text(row.person, row.note_ct, NOTE_PURPOSE),
            reason=_text(row.person, row.referral_reason_ct, REASON_PURPOSE),
            confirmed=confirm_withheld,
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
        note_ct=sealed_note(row.person, note),
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
            **(
                {"consents": changes["consent_ids"], "withheld": withheld}
                if name == "submit"
                else {}
            ),
        },
    )
    _notify_transition(row, name, actor)
    remind_after_commit(row, acknowledge=name == "submit" and row.delivery == Delivery.NETWORK)
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


@transaction.atomic
def add_update(
    referral: Referral, *, actor: Actor, note: str, expected_version: int | None = None
) -> Referral:
    """A progress note from either side on an open referral (resets the "no update" clock)."""
    row = _lock(referral)
    side = Side.SENDER if is_party(actor, row.sending_agency_id) else Side.RECIPIENT
    check_side(row, actor, side)
    seen = expected_version if expected_version is not None else referral.version
    if row.version != seen:
        raise CodedError(
            Code.CONFLICT, _("Someone else changed this referral a moment ago."), status=409
        )
    if row.status not in OPEN_STATUSES:
        raise CodedError(
            Code.ILLEGAL_TRANSITION, _("Only an open referral takes updates."), status=409
        )
    note = clean_note(note)
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
        note_ct=sealed_note(row.person, note),
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
    remind_after_commit(row)
    return row


def record_opened(referral: Referral, *, actor: Actor) -> bool:
    """The receiving agency's first look at the referral (an event, not a status). True if first."""
    if referral.first_opened_at is not None or not is_party(actor, referral.recipient_agency_id):
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
def hold_for_withdrawn_consent(consent, *, actor: Actor) -> list[Referral]:
    """The person withdrew a referral consent: put the partner's open referrals on hold.

    Runs inside ``consent.revoke_consent``'s transaction (the consent app calls it through
    ``ReferralsConfig.consent_revoked``). When no other referral consent for that agency is in
    force, each open referral to it moves to on-hold with the reason "consent withdrawn" through
    the ``consent_withdrawn`` transition (version-checked, one event and one audit event each),
    and the partner is told in the app. Returns the referrals put on hold.
    """
    if Purpose.REFERRAL not in consent.purposes:
        return []
    person, agency = consent.person, consent.recipient_agency
    if sharing(person, agency):
        return []  # another referral consent still covers this agency
    spec = TRANSITIONS["consent_withdrawn"]
    held = []
    candidates = Referral.objects.filter(
        person_id=person.pk,
        recipient_agency_id=agency.pk,
        delivery=Delivery.NETWORK,
        status__in=OPEN_STATUSES,
    ).order_by("pk")
    for candidate in candidates:
        row = _lock(candidate)
        if row.status in spec.sources:
            now = timezone.now()
            if not Referral.objects.filter(pk=row.pk, version=row.version).update(
                status=spec.target,
                version=F("version") + 1,
                status_changed_at=now,
                last_activity_at=now,
                updated_at=now,
                reason=Reason.CONSENT_WITHDRAWN,
                outcome="",
            ):
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
                # None: the person withdrew it themself in the survivor portal.
                actor=actor.user if actor.user.is_authenticated else None,
                agency=actor.agency,
                reason=Reason.CONSENT_WITHDRAWN,
            )
            record(
                "referral.consent_withdrawn",
                category="referrals",
                actor=actor,
                obj=row,
                person=person,
                detail={
                    "from": previous,
                    "to": spec.target,
                    "reason": Reason.CONSENT_WITHDRAWN,
                    "consent_id": str(consent.pk),
                    "version": row.version,
                },
            )
            held.append(row)
        notify.notify(
            row, NotificationKind.CONSENT_WITHDRAWN, agency=agency, exclude_user=actor.user
        )
        if actor.agency is None or actor.agency.pk != row.sending_agency_id:
            notify.notify(row, NotificationKind.CONSENT_WITHDRAWN, agency=row.sending_agency)
    return held
