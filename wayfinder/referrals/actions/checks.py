"""The checks every referral write shares: coded errors, who may act for which side, notes,
and the consent a referral needs before it goes out."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from wayfinder.accounts.actor import Actor
from wayfinder.accounts.models import Agency
from wayfinder.core.categories import Category
from wayfinder.core.errors import CodedError
from wayfinder.people.models import Person
from wayfinder.people.sealing import seal
from wayfinder.referrals.errors import ReferralErrorCode as Code
from wayfinder.referrals.models import Delivery, Referral, Side, Status
from wayfinder.referrals.sharing import (
    NOTE_CATEGORY,
    NOTE_PURPOSE,
    REASON_CATEGORY,
    REASON_PURPOSE,
    sensitive_category,
    sharing,
)

MAX_NOTE = 4000


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
    return str(Category(category).label).lower()


def is_party(actor: Actor, agency_id) -> bool:
    return actor.agency is not None and actor.is_casework and actor.agency.pk == agency_id


def check_side(referral: Referral, actor: Actor, side: str) -> bool:
    """Whether the actor may act for ``side``; returns True when recording for an outside org."""
    if side == Side.SENDER:
        if not is_party(actor, referral.sending_agency_id):
            raise PermissionDenied
        return False
    if referral.delivery == Delivery.PACKET:
        # The organisation is not on Wayfinder: the referring agency records its answer.
        if not is_party(actor, referral.sending_agency_id):
            raise PermissionDenied
        return True
    if not is_party(actor, referral.recipient_agency_id) or referral.status == Status.DRAFT:
        raise PermissionDenied
    if not sharing(referral.person, referral.recipient_agency):
        raise PermissionDenied  # the consent ended: the partner can no longer act on it
    return False


def clean_note(value: str, *, field: str = "note") -> str:
    value = (value or "").strip()
    if len(value) > MAX_NOTE:
        raise CodedError(Code.NOTE_TOO_LONG, _("Keep the note to 4000 characters."), field=field)
    return value


def sealed_note(person: Person, text: str):
    return seal(person, {"text": text}, NOTE_PURPOSE) if text else None


def sealed_reason(person: Person, text: str):
    return seal(person, {"text": text}, REASON_PURPOSE) if text else None


def check_withheld(shared, *, note: str, reason: str, confirmed: bool) -> list[str]:
    """Flag, before sending, free text the partner will never see because no consent covers it.

    Returns the withheld fields ("note", "reason") when the sender confirmed sending without
    them; refuses with ``text_not_consented`` (naming the first field) when not confirmed.
    """
    withheld = []
    if reason and REASON_CATEGORY not in shared:
        withheld.append("reason")
    if note and NOTE_CATEGORY not in shared:
        withheld.append("note")
    if withheld and not confirmed:
        raise CodedError(
            Code.TEXT_NOT_CONSENTED,
            _(
                "The partner will not see this text: the person's consent for this agency does "
                "not include %(category)s. Edit it, record their consent, or confirm that you "
                "send the referral without it."
            )
            % {
                "category": _category_label(
                    REASON_CATEGORY if withheld[0] == "reason" else NOTE_CATEGORY
                )
            },
            field=withheld[0],
        )
    return withheld
