"""The packet for an organisation that is not on Wayfinder: printing it, and the e-mail notice."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from wayfinder.accounts.actor import Actor
from wayfinder.accounts.models import Agency
from wayfinder.audit.events import record
from wayfinder.core.errors import CodedError
from wayfinder.referrals.actions.checks import is_party
from wayfinder.referrals.errors import ReferralErrorCode as Code
from wayfinder.referrals.models import Delivery, EventKind, Referral, ReferralEvent, Status

logger = logging.getLogger(__name__)


@transaction.atomic
def record_packet_printed(referral: Referral, *, actor: Actor, categories, consents) -> None:
    """The referring agency printed the packet for an organisation not on Wayfinder."""
    if not is_party(actor, referral.sending_agency_id):
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
    if not is_party(actor, referral.sending_agency_id):
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
        try:
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email]).send()
        except Exception:
            logger.exception("referral packet notice failed (referral %s)", referral.pk)

    transaction.on_commit(send)
