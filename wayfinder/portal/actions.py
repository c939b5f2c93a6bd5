"""Every portal write: one function, one transaction, one audit event.

The person acts as the *person actor*: no user, no agency, ``via="portal"``. Staff act as
themselves (issuing an invitation). Codes and secrets are hashed; nothing personal is logged.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wayfinder.access.gate import access_for
from wayfinder.accounts.actor import Actor
from wayfinder.assessments.actions import complete_session, save_answers
from wayfinder.assessments.models import Session, SessionMode
from wayfinder.audit.events import record
from wayfinder.consent.actions import revoke_consent_by_person
from wayfinder.consent.models import Consent
from wayfinder.core.errors import CodedError
from wayfinder.core.languages import ISO_TO_UI
from wayfinder.people.models import Person
from wayfinder.people.sealing import seal
from wayfinder.plans.actions import NOTE_PURPOSE
from wayfinder.plans.models import Assignee, Goal, NoteVisibility, ProgressNote, Step, StepStatus
from wayfinder.portal.errors import PortalErrorCode as Code
from wayfinder.portal.models import (
    PORTAL_TOKEN_PREFIX,
    NoticeKind,
    PortalAccount,
    PortalInvitation,
    PortalNotice,
    PortalToken,
    SecretKind,
    hash_code,
    hash_token,
    random_code,
)
from wayfinder.referrals.models import Referral, SurvivorConfirmation

RECOVERY_CODES = 8
NOTE_MAX = 2000


def person_actor(ip: str | None = None) -> Actor:
    """Who acts in the portal: the person. No user and no agency, so no staff check can pass."""
    return Actor(user=AnonymousUser(), agency=None, ip=ip, via="portal")  # type: ignore[arg-type]


def _audit(action: str, account: PortalAccount, *, ip: str | None, obj=None, **detail) -> None:
    record(
        action,
        category="portal",
        actor=person_actor(ip),
        obj=obj if obj is not None else account,
        person=account.person,
        detail=detail,
    )


# --- staff: the invitation ---------------------------------------------------------------------


@transaction.atomic
def issue_invitation(person: Person, *, actor: Actor) -> tuple[PortalInvitation, str]:
    """A navigator of the owning agency gives the person a one-time code, in person.

    Earlier unused codes stop working. The code is shown once (printed); only its hash is kept.
    """
    access = access_for(actor, person)
    if access is None or not access.is_owner or not actor.is_casework or actor.agency is None:
        raise PermissionDenied
    account, _created = PortalAccount.objects.get_or_create(person=person)
    now = timezone.now()
    account.invitations.filter(used_at__isnull=True).update(expires_at=now)
    raw = random_code(12)
    hours = settings.WAYFINDER_PORTAL_INVITATION_HOURS
    invitation = PortalInvitation.objects.create(
        account=account,
        code_hash=hash_code(raw),
        expires_at=now + timedelta(hours=hours),
        issued_by=actor.user,
        agency=actor.agency,
    )
    PortalNotice.objects.filter(person=person, kind=NoticeKind.LOCKED, seen_at__isnull=True).update(
        seen_at=now
    )
    record(
        "portal.invite",
        category="portal",
        actor=actor,
        obj=invitation,
        person=person,
        detail={"hours": hours},
    )
    return invitation, raw


# --- the person: getting in --------------------------------------------------------------------


def check_secret(kind: str, secret: str, again: str) -> None:
    if kind == SecretKind.PIN:
        if not (len(secret) == 6 and secret.isascii() and secret.isdigit()):
            raise CodedError(Code.PIN_INVALID, _("Your PIN must be 6 numbers."), field="secret")
    elif len(secret) < 12:
        raise CodedError(
            Code.PASSPHRASE_TOO_SHORT,
            _("Use at least 12 letters. A few words work well."),
            field="secret",
        )
    if secret != again:
        raise CodedError(Code.SECRETS_DIFFER, _("The two do not match. Try again."), field="again")


def _default_language(person: Person) -> str:
    for iso in person.preferred_languages or []:
        if iso in ISO_TO_UI:
            return ISO_TO_UI[iso]
    return ""


@transaction.atomic
def set_up(
    invitation: PortalInvitation, *, kind: str, secret: str, again: str, ip: str | None
) -> tuple[PortalAccount, list[str]]:
    """Use the one-time code: choose a PIN or passphrase, get a new recovery sheet.

    Every earlier portal session ends (the session version moves on) and the door opens again
    if it was locked. Returns the account and the recovery codes (shown once, never stored).
    """
    invitation = PortalInvitation.objects.select_for_update().get(pk=invitation.pk)
    now = timezone.now()
    if invitation.used_at is not None or invitation.expires_at <= now:
        raise CodedError(Code.CODE_INVALID, _("This code does not work any more."))
    if kind not in SecretKind.values:
        kind = SecretKind.PIN
    check_secret(kind, secret, again)
    account = PortalAccount.objects.select_for_update().get(pk=invitation.account_id)
    codes = [random_code(10) for _ in range(RECOVERY_CODES)]
    account.secret_hash = make_password(secret)
    account.secret_kind = kind
    account.recovery_hashes = [hash_code(c) for c in codes]
    account.locked_at = None
    account.session_version = F("session_version") + 1
    if not account.language:
        account.language = _default_language(account.person)
    account.save()
    account.refresh_from_db()
    invitation.used_at = now
    invitation.save(update_fields=["used_at", "updated_at"])
    _audit("portal.set_up", account, ip=ip, obj=invitation, kind=kind)
    return account, codes


def sign_in(door: str, secret: str, *, ip: str | None) -> PortalAccount | None:
    """The account if the door number and PIN (or passphrase) are right; failures are audited."""
    from wayfinder.portal.models import normalise

    account = (
        PortalAccount.objects.select_related("person").filter(door=normalise(door)[:12]).first()
    )
    if account is None:
        make_password(secret)  # the same work either way: timing tells nothing
        record("portal.sign_in_failed", category="portal", ip=ip, via="portal", detail={})
        return None
    if not account.is_ready or not check_password(secret, account.secret_hash):
        reason = (
            "locked" if account.locked_at else ("not_set_up" if not account.secret_hash else "")
        )
        _audit("portal.sign_in_failed", account, ip=ip, reason=reason or "wrong_secret")
        return None
    with transaction.atomic():
        PortalAccount.objects.filter(pk=account.pk).update(last_sign_in_at=timezone.now())
        _audit("portal.sign_in", account, ip=ip)
    return account


@transaction.atomic
def recover(door: str, code: str, *, ip: str | None) -> PortalInvitation | None:
    """A recovery code (from the printed sheet) is used up and becomes a one-time set-up code.

    The person then chooses a new PIN through ``set_up``. Returns the fresh invitation, or None.
    """
    from wayfinder.portal.models import normalise

    account = PortalAccount.objects.select_for_update().filter(door=normalise(door)[:12]).first()
    hashed = hash_code(code)
    if account is None or account.locked_at is not None or hashed not in account.recovery_hashes:
        if account is not None:
            _audit("portal.recover_failed", account, ip=ip)
        else:
            record("portal.recover_failed", category="portal", ip=ip, via="portal", detail={})
        return None
    account.recovery_hashes = [h for h in account.recovery_hashes if h != hashed]
    account.save(update_fields=["recovery_hashes", "updated_at"])
    invitation = PortalInvitation.objects.create(
        account=account,
        code_hash=hash_code(secrets.token_hex(16)),
        expires_at=timezone.now() + timedelta(minutes=15),
        agency=account.person.owner_agency,
    )
    _audit("portal.recover", account, ip=ip, left=len(account.recovery_hashes))
    return invitation


@transaction.atomic
def lock_door(account: PortalAccount, *, ip: str | None) -> None:
    """Sign out everywhere and lock: every session ends, every token is revoked, sign-in stops
    until the navigator gives a new code in person (they get a notice on the record)."""
    now = timezone.now()
    PortalAccount.objects.filter(pk=account.pk).update(
        locked_at=now, session_version=F("session_version") + 1, updated_at=now
    )
    account.tokens.filter(revoked_at__isnull=True).update(revoked_at=now)
    account.invitations.filter(used_at__isnull=True).update(expires_at=now)
    PortalNotice.objects.create(
        person=account.person, agency=account.person.owner_agency, kind=NoticeKind.LOCKED
    )
    _audit("portal.lock_door", account, ip=ip)


@transaction.atomic
def set_preferences(
    account: PortalAccount, *, page_title: str, language: str, ip: str | None
) -> PortalAccount:
    account.page_title = page_title.strip()[:40]
    if language in dict(settings.LANGUAGES):
        account.language = language
    account.save(update_fields=["page_title", "language", "updated_at"])
    _audit("portal.preferences", account, ip=ip, fields=["page_title", "language"])
    return account


@transaction.atomic
def create_token(account: PortalAccount, *, ip: str | None) -> str:
    raw = PORTAL_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = PortalToken.objects.create(account=account, token_hash=hash_token(raw))
    _audit("portal.token_create", account, ip=ip, obj=token)
    return raw


# --- the person: sharing -----------------------------------------------------------------------


def withdraw(account: PortalAccount, consent: Consent, *, ip: str | None) -> Consent:
    """Withdraw one consent, in one step; the consent app records it (channel "survivor portal")
    and the navigator sees a notice on the record."""
    with transaction.atomic():
        consent = revoke_consent_by_person(consent, actor=person_actor(ip), person=account.person)
        PortalNotice.objects.create(
            person=account.person, agency=account.person.owner_agency, kind=NoticeKind.WITHDREW
        )
    return consent


@transaction.atomic
def ask_for_consent(account: PortalAccount, *, ip: str | None) -> PortalNotice:
    """A request only: the navigator is told; staff still record any consent with the person."""
    notice = PortalNotice.objects.create(
        person=account.person, agency=account.person.owner_agency, kind=NoticeKind.CONSENT_REQUEST
    )
    _audit("portal.consent_request", account, ip=ip, obj=notice)
    return notice


# --- the person: plan --------------------------------------------------------------------------


@transaction.atomic
def mark_step_done(account: PortalAccount, step: Step, *, ip: str | None) -> Step:
    """The person marks one of *their own* steps done (assigned to "the person themself")."""
    step = Step.objects.select_for_update().select_related("goal").get(pk=step.pk)
    if step.person_id != account.person_id or step.assignee != Assignee.PERSON:
        raise PermissionDenied
    if step.status == StepStatus.OPEN:
        step.status = StepStatus.DONE
        step.done_at = timezone.now()
        step.done_by = None
        step.save(update_fields=["status", "done_at", "done_by", "updated_at"])
        record(
            "plan.step_status",
            category="plans",
            actor=person_actor(ip),
            obj=step,
            person=account.person,
            categories=sorted(step.categories()),
            detail={"was": StepStatus.OPEN, "now": StepStatus.DONE, "by_person": True},
        )
    return step


@transaction.atomic
def add_note(
    account: PortalAccount, *, text: str, goal: Goal | None, ip: str | None
) -> ProgressNote:
    """A note in the person's own words, sealed, for the care team (the plan's visibility rules:
    the owning agency, and partners whose consent covers the plan)."""
    person = account.person
    if goal is not None and goal.person_id != person.pk:
        raise PermissionDenied
    text = text.strip()
    if not text:
        raise CodedError(Code.NOTE_REQUIRED, _("Write your note first."), field="text")
    if len(text) > NOTE_MAX:
        raise CodedError(Code.NOTE_TOO_LONG, _("Your note is too long."), field="text")
    note = ProgressNote(
        person=person,
        goal=goal,
        agency=person.owner_agency,
        author=None,
        visibility=NoteVisibility.CARE_TEAM,
    )
    note.text_ct = seal(person, {"text": text, "by_person": True}, NOTE_PURPOSE)
    note.save()
    record(
        "plan.note_create",
        category="plans",
        actor=person_actor(ip),
        obj=note,
        person=person,
        categories=sorted(note.categories()),
        detail={"goal_id": str(goal.pk) if goal else None, "by_person": True},
    )
    return note


def record_bad_code(*, ip: str | None) -> None:
    """A one-time code that matched nothing (wrong, used or expired): audited, like a failed
    sign-in. Nothing of the typed code is kept."""
    record("portal.code_failed", category="portal", ip=ip, via="portal", detail={})


@transaction.atomic
def confirm_referral(account: PortalAccount, referral: Referral, *, answer: str, ip: str | None):
    """ "Did you get the help?": yes, partly or no, on the referral beside the partner's word."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.person_id != account.person_id:
        raise PermissionDenied
    if answer not in SurvivorConfirmation.values:
        raise CodedError(Code.ANSWER_UNKNOWN, _("Choose yes, partly or no."), field="answer")
    referral.survivor_confirmation = answer
    referral.survivor_confirmed_at = timezone.now()
    referral.save(update_fields=["survivor_confirmation", "survivor_confirmed_at", "updated_at"])
    record(
        "referral.survivor_confirmation",
        category="referrals",
        actor=person_actor(ip),
        obj=referral,
        person=account.person,
        detail={"answer": answer, "status": referral.status},
    )
    return referral


# --- the person: check-ins ---------------------------------------------------------------------


def _check_checkin(account: PortalAccount, session: Session) -> None:
    from wayfinder.portal.queries import SELF_REPORT_KINDS

    if (
        session.person_id != account.person_id
        or session.mode != SessionMode.SELF
        or session.kind not in SELF_REPORT_KINDS
    ):
        raise PermissionDenied


def save_checkin(
    account: PortalAccount,
    session: Session,
    *,
    answers: dict,
    current_section: int | None,
    ip: str | None,
):
    """The person's own answers (``by_person``), through the assessments app's one write path."""
    _check_checkin(account, session)
    return save_answers(
        session,
        actor=person_actor(ip),
        answers=answers,
        by_person=True,
        current_section=current_section,
    )


def finish_checkin(account: PortalAccount, session: Session, *, ip: str | None):
    """Scores join the person's trajectories (the session's mode says "completed by the person")."""
    _check_checkin(account, session)
    return complete_session(session, actor=person_actor(ip))
