"""Demo consents: partners on care teams, each seeing only what its consent names.

- Lucía: the legal-aid partner sees identity and legal only; housing sees a little more.
- Ana R.: counselling (health, plan, notes) and recovery (42 CFR Part 2, signed); a legal-aid
  consent she withdrew by phone (the lawyer sees "access ended … withdrawn").
- Jess: a housing consent that expired ten days ago (the housing partner sees "… expired").
- Mateo (K'iche', with an interpreter; form in Spanish), Marisol, Dani: other partners.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from wayfinder.consent.actions import ConsentRequest, Signature, create_consent, revoke_consent
from wayfinder.consent.models import Consent
from wayfinder.people.actions import add_care_team_member
from wayfinder.people.demo import SURVIVORS

# person index, partner user, partner agency, categories, purposes, days, extra
CONSENTS = [
    (0, "lawyer", "legal", ["identity", "legal"], ["care_coordination", "referral"], 180, {}),
    (
        0,
        "housing",
        "housing",
        ["identity", "contact", "needs", "plan"],
        ["care_coordination"],
        120,
        {},
    ),
    (
        1,
        "counselor",
        "mental",
        ["identity", "demographics", "health", "plan", "notes"],
        ["care_coordination"],
        180,
        {},
    ),
    (
        1,
        "recovery",
        "sud",
        ["identity", "substance_use", "plan", "notes"],
        ["care_coordination"],
        90,
        {
            "substance_use_description": "Dates of treatment, attendance and progress in the "
            "New Dawn outpatient programme.",
            "part2_revocation_explained": True,
        },
    ),
    (
        2,
        "jobs",
        "vocational",
        ["identity", "demographics", "needs", "plan"],
        ["care_coordination"],
        180,
        {"language": "quc", "form_language": "es", "interpreter_used": True},
    ),
    (
        10,
        "lawyer",
        "legal",
        ["identity", "contact", "communication", "referral_reason", "legal", "immigration"],
        ["care_coordination", "referral"],
        365,
        {},
    ),
    (
        11,
        "counselor",
        "mental",
        ["identity", "health", "plan", "notes"],
        ["care_coordination"],
        90,
        {},
    ),
]


def _navigator(index: int) -> str:
    return SURVIVORS[index][-1]


def _give(net, index, user_key, agency_key, categories, purposes, days, **extra) -> Consent:
    person = net.persons[index]
    actor = net.actor(_navigator(index), "lead")
    add_care_team_member(
        person, actor=actor, user=net.users[user_key], agency=net.agencies[agency_key]
    )
    return create_consent(
        person,
        ConsentRequest(
            recipient_agency=net.agencies[agency_key],
            purposes=purposes,
            categories=categories,
            expires_at=timezone.now() + timedelta(days=days),
            method="electronic_signature",
            signature=Signature(kind="typed", typed_name=SURVIVORS[index][1]),
            explained_not_a_condition=True,
            **extra,
        ),
        actor=actor,
    )


def load(net) -> None:
    for index, user_key, agency_key, categories, purposes, days, extra in CONSENTS:
        _give(net, index, user_key, agency_key, categories, purposes, days, **extra)

    # Ana withdrew her legal-aid consent by phone; the lawyer stays on the team and is told so.
    withdrawn = _give(net, 1, "lawyer", "legal", ["identity", "legal"], ["care_coordination"], 180)
    revoke_consent(withdrawn, actor=net.actor(_navigator(1), "lead"), channel="phone")

    # Jess's housing consent ran out. Consent can only be recorded for the future, so the demo
    # moves this one back in time (the only row written outside an action).
    expired = _give(
        net, 4, "housing", "housing", ["identity", "contact", "needs"], ["care_coordination"], 90
    )
    now = timezone.now()
    Consent.objects.filter(pk=expired.pk).update(
        valid_from=now - timedelta(days=100),
        signed_at=now - timedelta(days=100),
        expires_at=now - timedelta(days=10),
    )
    net.extra["consents"] = {"withdrawn": withdrawn.pk, "expired": expired.pk}
