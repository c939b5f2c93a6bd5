"""Every write of the feedback app: one function, one transaction, one audit event.

The events about responses name no response, no agency, no user and no address: an audit
event's time is exact, and a response's is only its day (``docs/feedback.md``).
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wayfinder.assessments.instruments import DECLINED, ResponseType, get_instrument
from wayfinder.assessments.scoring import DECLINED as DECLINED_ANSWER
from wayfinder.assessments.scoring import AnswerError, clean_value, visible_items
from wayfinder.audit.events import record
from wayfinder.core.errors import CodedError
from wayfinder.core.service_categories import ServiceCategory
from wayfinder.feedback.commentcheck import check_comment
from wayfinder.feedback.errors import FeedbackErrorCode as Code
from wayfinder.feedback.models import (
    Channel,
    Comment,
    CommentStatus,
    Invitation,
    Response,
    Sender,
    WayfinderFeedback,
)

# The messages a person may meet on the public pages (the survey, the code, feedback about
# Wayfinder), declared for the ten languages (wayfinder.core.survivor; docs/languages.md).
SURVIVOR_MESSAGES = {
    "code": gettext_lazy(
        "This code does not work. Check it and try again. It may be used up or too old."
    ),
    "code_used": gettext_lazy("This code does not work. It may be used up or too old."),
    "answer": gettext_lazy("Choose one of the answers."),
    "comment_long": gettext_lazy("Please make your comment shorter."),
    "text_required": gettext_lazy("Please write something first."),
    "text_long": gettext_lazy("Please keep it to %(n)s characters."),
    "title": gettext_lazy("Survey"),
}

if TYPE_CHECKING:
    from wayfinder.accounts.actor import Actor
    from wayfinder.accounts.models import Agency

SURVEY_ID = "service_feedback"
COMMENT_ITEM = "comment"
MAX_CARDS = 60
MAX_TEXT = 2000
# Crockford's base 32: no I, L, O or U, so a code read aloud or typed is hard to get wrong.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10  # 50 bits


def survey():
    return get_instrument(SURVEY_ID)


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """What a person typed, as stored: capitals, no spaces or dashes, O→0 and I/L→1."""
    text = "".join(ch for ch in (raw or "").upper() if ch.isalnum())
    return text.translate(str.maketrans("OIL", "011"))


def display_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def hash_code(code: str) -> str:
    return salted_hmac(
        "wayfinder.feedback.invitation", normalise_code(code), algorithm="sha256"
    ).hexdigest()


def _valid_days() -> int:
    return int(getattr(settings, "WAYFINDER_FEEDBACK_CODE_DAYS", 180))


def _check_category(service_category: str) -> None:
    if service_category not in ServiceCategory.values:
        raise CodedError(
            Code.CATEGORY_UNKNOWN, _("Choose a service category."), field="service_category"
        )


def _new_invitation(agency, service_category: str, channel: str) -> str:
    today = timezone.localdate()
    code = new_code()
    Invitation.objects.create(
        token_hash=hash_code(code),
        agency=agency,
        service_category=service_category,
        channel=channel,
        issued_on=today,
        expires_on=today + timedelta(days=_valid_days()),
    )
    return code


def mint_invitation(*, agency: Agency, service_category: str, channel: str) -> str:
    """One single-use survey code for a service of ``agency`` (the portal and hand-over mode).

    Deliberately takes no person: whoever asks for the code, nothing stored links it to them.
    Returns the code; only its keyed hash is kept.
    """
    _check_category(service_category)
    if channel not in Channel.values:
        raise ValueError(channel)
    with transaction.atomic():
        code = _new_invitation(agency, service_category, channel)
        record(
            "feedback.invitation.create",
            category="feedback",
            agency_id=agency.pk,
            detail={"channel": channel, "count": 1},
        )
    return code


def portal_survey_url(*, agency: Agency, service_category: str) -> str:
    """For the survivor portal: a fresh code for this agency and service, as the address of the
    survey (``feedback:portal_start``). Pass no person: nothing is stored about who asked."""
    from django.urls import reverse

    code = mint_invitation(agency=agency, service_category=service_category, channel=Channel.PORTAL)
    return reverse("feedback:portal_start", kwargs={"code": code})


def mint_cards(*, actor: Actor, service_category: str, count: int) -> list[str]:
    """A sheet of card codes for the actor's agency to hand out after a service."""
    _check_category(service_category)
    if not 1 <= count <= MAX_CARDS:
        raise CodedError(
            Code.COUNT_INVALID,
            _("Ask for between 1 and %(n)s cards.") % {"n": MAX_CARDS},
            field="count",
        )
    with transaction.atomic():
        codes = [
            _new_invitation(actor.agency, service_category, Channel.CARD) for _i in range(count)
        ]
        record(
            "feedback.invitation.create",
            category="feedback",
            actor=actor,
            detail={"channel": Channel.CARD, "count": count, "service_category": service_category},
        )
    return codes


def usable_invitation(code: str) -> Invitation | None:
    """The unused, unexpired invitation with this code, or None."""
    if not code:
        return None
    return Invitation.objects.filter(
        token_hash=hash_code(code), used=False, expires_on__gte=timezone.localdate()
    ).first()


def clean_answers(raw: dict[str, Any]) -> dict[str, Any]:
    """The survey's choice answers, checked against the instrument; free text is not kept here.

    Skipped and hidden items are left out; "declined" is kept as such (it counts in no score).
    """
    inst = survey()
    given: dict[str, Any] = {}
    for item in inst.all_items():
        if item.type == ResponseType.SHORT_TEXT:
            continue
        value = raw.get(item.id)
        if value in (None, "", []):
            continue
        if value == DECLINED:
            given[item.id] = DECLINED_ANSWER
            continue
        try:
            cleaned = clean_value(item, value)
        except AnswerError:
            raise CodedError(
                Code.ANSWER_INVALID, _("Choose one of the answers."), field=item.id
            ) from None
        if cleaned is not None:
            given[item.id] = cleaned
    shown = visible_items(inst, given)
    return {k: (DECLINED if v is DECLINED_ANSWER else v) for k, v in given.items() if k in shown}


def submit_response(
    code: str, answers: dict[str, Any], comment: str = "", *, on: date | None = None
) -> None:
    """Save one anonymous response and use up its code, in one step.

    The response keeps the code's agency and service category and today's date (``on``: the
    demo's past days), and nothing else of the code: the code is marked used, and no column
    joins the two.
    """
    cleaned = clean_answers(answers)
    text = (comment or "").strip()
    if len(text) > survey().item(COMMENT_ITEM).max_length:
        raise CodedError(
            Code.TEXT_TOO_LONG, _("Please make your comment shorter."), field="comment"
        )
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(token_hash=hash_code(code), used=False, expires_on__gte=timezone.localdate())
            .first()
        )
        if invitation is None:
            raise CodedError(
                Code.CODE_UNKNOWN,
                _("This code does not work. It may be used up or too old."),
                field="code",
                status=404,
            )
        invitation.used = True
        invitation.save(update_fields=["used"])
        today = on or timezone.localdate()
        inst = survey()
        Response.objects.create(
            agency_id=invitation.agency_id,
            service_category=invitation.service_category,
            answered_on=today,
            instrument_id=inst.id,
            instrument_version=inst.version,
            answers=cleaned,
        )
        if text:
            flags = check_comment(text)
            Comment.objects.create(
                agency_id=invitation.agency_id,
                received_on=today,
                text=text,
                flags=flags,
                status=CommentStatus.HELD if flags else CommentStatus.SHOWN,
            )
        # No agency, user, address or object: the exact time of this event must not be a key
        # to the response (whose own date is only the day).
        record("feedback.response.create", category="feedback")


def review_comment(comment: Comment, *, release: bool, actor: Actor) -> Comment:
    """An agency admin releases a held comment (it is shown) or deletes it (the text is gone)."""
    if not (actor.is_agency_admin and actor.agency and actor.agency.pk == comment.agency_id):
        raise CodedError(
            Code.NOT_ADMIN, _("Only an admin of this agency can review it."), status=404
        )
    with transaction.atomic():
        row = Comment.objects.select_for_update().get(pk=comment.pk)
        if row.status != CommentStatus.HELD:
            raise CodedError(
                Code.ALREADY_REVIEWED, _("Someone has already reviewed this comment."), status=409
            )
        row.status = CommentStatus.SHOWN if release else CommentStatus.DELETED
        if not release:
            row.text = ""
        row.reviewed_on = timezone.localdate()
        row.save(update_fields=["status", "text", "reviewed_on"])
        record(
            "feedback.comment.release" if release else "feedback.comment.delete",
            category="feedback",
            actor=actor,
            obj=row,
            detail={"flags": row.flags},
        )
    return row


def submit_wayfinder_feedback(*, sender: str, text: str) -> WayfinderFeedback:
    """The "feedback about Wayfinder" form: it goes to the network admins. No user is kept."""
    text = (text or "").strip()
    if not text:
        raise CodedError(Code.TEXT_REQUIRED, _("Please write something first."), field="text")
    if len(text) > MAX_TEXT:
        raise CodedError(
            Code.TEXT_TOO_LONG,
            _("Please keep it to %(n)s characters.") % {"n": MAX_TEXT},
            field="text",
        )
    if sender not in Sender.values:
        sender = Sender.OTHER
    with transaction.atomic():
        row = WayfinderFeedback.objects.create(
            received_on=timezone.localdate(), sender=sender, text=text
        )
        record("feedback.wayfinder.create", category="feedback", detail={"sender": sender})
    return row


def mark_wayfinder_feedback_read(row: WayfinderFeedback, *, actor: Actor) -> None:
    if not actor.is_network_admin:
        raise CodedError(Code.NOT_ADMIN, _("Only a network admin can do this."), status=404)
    with transaction.atomic():
        WayfinderFeedback.objects.filter(pk=row.pk).update(read=True)
        record("feedback.wayfinder.read", category="feedback", actor=actor, obj=row)
