"""Demo referrals: one in every status, from the lead agency's navigators to the demo partners.

They use the referral consents the consent demo made (Lucía and Marisol → Justice Bridge) and a
few more referral consents recorded here through the same action. One referral goes to an
organisation that is not on Wayfinder (a packet), one waits too long for a reply (overdue).
"""

from __future__ import annotations

from datetime import timedelta

from django.test.utils import override_settings
from django.utils import timezone

from wayfinder.assessments.models import ACTIVE_NEED_STATUSES, Need
from wayfinder.consent.actions import ConsentRequest, Signature, create_consent
from wayfinder.consent.models import Consent
from wayfinder.directory.models import Service
from wayfinder.people.demo import SURVIVORS
from wayfinder.referrals import actions
from wayfinder.referrals.models import TRANSITIONS, Referral

# More referral consents: person index, partner agency key, categories, extra consent fields.
REFERRAL_CONSENTS = [
    (
        1,
        "sud",
        ["identity", "substance_use"],
        {
            "substance_use_description": "That a referral to outpatient treatment is made, and "
            "the dates of intake.",
            "part2_revocation_explained": True,
        },
    ),
    (
        2,
        "vocational",
        ["identity", "demographics", "communication", "referral_reason", "needs"],
        {},
    ),
    (3, "housing", ["identity", "contact", "needs"], {}),
    (4, "health", ["identity", "health"], {}),
    (5, "mental", ["identity", "health", "needs"], {}),
    (7, "housing", ["identity", "needs"], {}),
]

# person index, partner agency key, service category, reason for referral, steps after sending
# steps: transitions with their arguments, in order; "draft" keeps it unsent.
REFERRALS = [
    (0, "legal", "legal_civil", "", [("accept", {}), ("start", {}), ("complete", {"outcome": "service_provided"})]),
    (10, "legal", "legal_immigration", "Needs advice on a T visa application; asks for a Spanish-speaking attorney.", []),
    (10, "legal", "legal_civil", "", [("accept", {})]),
    (1, "sud", "substance_use", "", [("accept", {}), ("start", {})]),
    (2, "vocational", "vocational", "Mateo prefers morning sessions.", [("accept", {}), ("start", {}), ("hold", {"reason": "unable_to_contact"})]),
    (3, "housing", "housing", "", [("reject", {"reason": "no_capacity", "note": "Waitlist closed until spring."})]),
    (4, "health", "medical", "", [("accept", {}), ("start", {}), ("fail", {"reason": "person_declined"})]),
    (5, "mental", "mental_health", "", [("cancel", {"reason": "no_longer_needed"})]),
    (6, "legal", "legal_civil", "", "draft"),
    (7, "housing", "housing", "", [("mark_error", {"reason": "sent_in_error"})]),
]  # fmt: skip


def _navigator(net, index: int):
    return net.actor(SURVIVORS[index][-1], "lead")


def _referral_consent(net, index: int, agency_key: str, categories, extra) -> Consent:
    person, agency = net.persons[index], net.agencies[agency_key]
    existing = (
        Consent.objects.active()
        .for_purpose("referral")
        .filter(person=person, recipient_agency=agency)
        .first()
    )
    if existing is not None:
        return existing
    return create_consent(
        person,
        ConsentRequest(
            recipient_agency=agency,
            purposes=["referral"],
            categories=categories,
            expires_at=timezone.now() + timedelta(days=120),
            method="electronic_signature",
            signature=Signature(kind="typed", typed_name=SURVIVORS[index][1]),
            explained_not_a_condition=True,
            **extra,
        ),
        actor=_navigator(net, index),
    )


def _service(agency, category: str) -> Service | None:
    """The partner's directory service for this kind of help, if the directory demo listed one."""
    if not agency.directory_organization_id:
        return None
    for service in Service.objects.filter(
        organization_id=agency.directory_organization_id, status="active"
    ).order_by("name", "id"):
        if category in actions.service_categories(service):
            return service
    return None


def _need(person, category: str):
    return (
        Need.objects.filter(person=person, category=category, status__in=ACTIVE_NEED_STATUSES)
        .order_by("created_at", "pk")
        .first()
    )


def _refer(net, index, agency_key, category, note, send=True) -> Referral:
    person, agency = net.persons[index], net.agencies[agency_key]
    service = _service(agency, category)
    need = _need(person, category)
    return actions.create_referral(
        person,
        actions.ReferralRequest(
            service=service,
            recipient_agency=None if service else agency,
            service_category=category,
            need_id=need.pk if need else None,
            reason=note,
            send=send,
        ),
        actor=_navigator(net, index),
    )


def _partner(net, agency_key: str):
    """The agency's partner staff member (a provider), else anyone doing casework there."""
    agency = net.agencies[agency_key]
    for roles in (["provider"], ["provider", "agency_admin", "supervisor", "navigator"]):
        for key, user in net.users.items():
            if user.memberships.filter(agency=agency, is_active=True, role__in=roles).exists():
                return net.actor(key, agency_key)
    raise LookupError(agency_key)


def load(net) -> None:
    # Demo notices would only print to the console: they go nowhere.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        _load(net)


def _load(net) -> None:
    if len(net.persons) < 11:
        return
    for index, agency_key, categories, extra in REFERRAL_CONSENTS:
        _referral_consent(net, index, agency_key, categories, extra)

    made = []
    for index, agency_key, category, note, steps in REFERRALS:
        referral = _refer(net, index, agency_key, category, note, send=steps != "draft")
        for name, kwargs in steps if steps != "draft" else []:
            side = TRANSITIONS[name].side
            actor = _navigator(net, index) if side == "sender" else _partner(net, agency_key)
            referral = actions.transition(referral, name, actor=actor, **kwargs)
        made.append(referral)

    # Lucía's second legal referral has waited three days for a reply: the inbox shows it overdue.
    # (The only rows written outside an action: the demo moves its clock back.)
    overdue = _refer(net, 0, "legal", "legal_civil", "")
    before = timezone.now() - timedelta(days=3)
    Referral.objects.filter(pk=overdue.pk).update(
        sent_at=before, last_activity_at=before, status_changed_at=before, created_at=before
    )
    made.append(overdue)

    # A food pantry that is not on Wayfinder: a printable packet (no consent names it).
    pantry = (
        Service.objects.filter(status="active", organization__isnull=False)
        .exclude(organization_id__in=[a.directory_organization_id for a in net.agencies.values()])
        .order_by("name", "id")
    )
    for service in pantry:
        if "basic_needs" in actions.service_categories(service):
            made.append(
                actions.create_referral(
                    net.persons[0],
                    actions.ReferralRequest(service=service, service_category="basic_needs"),
                    actor=_navigator(net, 0),
                )
            )
            break
    net.extra["referrals"] = [r.pk for r in made]
