"""A partner that accepted a referral joins the person's care team, in one click.

The care team is how another agency sees a person's record (``access.gate``): a place on it
*and* an active care-coordination consent naming the agency. Normally the owning agency adds
members; an accepted referral is the person's own request for this partner's help, so the
partner's staff may add themselves, but only while a consent naming their agency for "working
together on your care" is in force. They then see exactly the categories it names.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from wayfinder.accounts.actor import Actor
from wayfinder.audit.events import record
from wayfinder.consent.grants import active_grants
from wayfinder.core.errors import CodedError
from wayfinder.people.models import CareTeamMember
from wayfinder.referrals.actions.checks import is_party
from wayfinder.referrals.errors import ReferralErrorCode as Code
from wayfinder.referrals.models import Delivery, Referral, Status

# A referral the partner has taken on: it may join the team.
JOINABLE = (Status.ACCEPTED, Status.IN_PROGRESS)


def care_team_offer(referral: Referral, actor: Actor) -> str:
    """What the partner's page offers: "join", "member", "no_consent", or "" (nothing)."""
    if (
        referral.delivery != Delivery.NETWORK
        or referral.status not in JOINABLE
        or not is_party(actor, referral.recipient_agency_id)
    ):
        return ""
    if actor.agency is None:
        return ""
    if CareTeamMember.objects.filter(person_id=referral.person_id, user_id=actor.user.pk).exists():
        return "member"
    if not active_grants(referral.person, actor.agency.pk):
        return "no_consent"
    return "join"


@transaction.atomic
def join_care_team(referral: Referral, *, actor: Actor) -> CareTeamMember:
    """Put the accepting partner's staff member on the person's care team (audited)."""
    referral = Referral.objects.select_related("person").get(pk=referral.pk)
    agency = actor.agency
    if (
        agency is None
        or not is_party(actor, referral.recipient_agency_id)
        or referral.delivery != Delivery.NETWORK
    ):
        raise PermissionDenied
    if referral.status not in JOINABLE:
        raise CodedError(
            Code.ILLEGAL_TRANSITION,
            _("Accept the referral first: then you can join the care team."),
            status=409,
        )
    person = referral.person
    grants = active_grants(person, agency.pk)
    if not grants:
        raise CodedError(
            Code.CARE_TEAM_NOT_CONSENTED,
            _(
                "The person has not agreed that your agency works with them on their care. Ask "
                "%(agency)s to record that consent first."
            )
            % {"agency": referral.sending_agency.name},
        )
    member = CareTeamMember.objects.filter(person=person, user_id=actor.user.pk).first()
    if member is not None:
        raise CodedError(
            Code.ALREADY_ON_TEAM, _("You are already on this person's care team."), status=409
        )
    member = CareTeamMember.objects.create(
        person=person, user=actor.user, agency=agency, is_lead=False, added_by=actor.user
    )
    record(
        "care_team.add",
        category="people",
        actor=actor,
        obj=member,
        person=person,
        categories=sorted(set().union(*(g.categories for g in grants))),
        detail={
            "user_id": actor.user.pk,
            "agency_id": str(agency.pk),
            "lead": False,
            "via": "referral",
            "referral_id": str(referral.pk),
            "consents": [g.consent_id for g in grants],
        },
    )
    return member
