"""The case-conference agenda at scale: realistic open work on an agency's caseload, in bulk.

Used by ``bench/prepare.py --conferences`` (the 10,000-person bench case, docs/benchmarks.md) and
by ``wayfinder/conferences/tests/test_proposals.py`` (the query-count pin at 10 and 1,000
persons). It writes the rows the plans, referrals and consent actions would write for the work
that ``proposals.propose`` reads — goals and steps, referrals, consents — with ``bulk_create``:
thousands of action calls would take minutes for the same rows. Their audit events are left out
(the agenda does not read the audit trail).

Of the persons, by default: 8 % have one to three plan steps overdue, and 20 % more a step due
later; 4 % have a referral unanswered past the acknowledgement window, and 10 % more one that
was answered and is moving; 3 % have a consent ending within 14 days, and 15 % more one ending
in two to ten months. So about one person in seven is proposed, the rest is noise the queries
must skip.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from wayfinder.consent.models import Consent
from wayfinder.plans.models import Goal, Step
from wayfinder.referrals.models import Delivery, Referral, Status

SHARES = {
    "steps_overdue": 0.08,
    "steps_later": 0.20,
    "referral_unanswered": 0.04,
    "referral_moving": 0.10,
    "consent_expiring": 0.03,
    "consent_later": 0.15,
}
DOMAINS = ["housing", "income_employment", "legal_immigration", "mental_health", "basic_needs"]


def placeholder(_person_id, _data: dict, _purpose: str) -> bytes:
    """Stand-in ciphertext where nothing will decrypt it (the query-count test)."""
    return b"\x00sealed"


def open_work(
    person_ids,
    *,
    agency,
    partner,
    user,
    rng: random.Random | None = None,
    seal: Callable[[object, dict, str], bytes] = placeholder,
    now=None,
    shares: dict | None = None,
) -> dict:
    """Goals and steps, referrals (to ``partner``) and consents (for ``partner``) for the persons
    of ``agency``. ``seal(person_id, data, purpose)`` makes each sealed text. Returns how many
    persons got each kind of work."""
    rng = rng or random.Random(20261205)
    shares = {**SHARES, **(shares or {})}
    now = now or timezone.now()
    today = timezone.localdate(now)
    goals, steps, referrals, consents = [], [], [], []
    counts = dict.fromkeys(shares, 0)
    for pid in person_ids:
        roll = rng.random()
        if roll < shares["steps_overdue"] + shares["steps_later"]:
            overdue = roll < shares["steps_overdue"]
            counts["steps_overdue" if overdue else "steps_later"] += 1
            goal = Goal(
                person_id=pid,
                agency=agency,
                domain=rng.choice(DOMAINS),
                words_ct=seal(pid, {"text": "A goal", "language": "eng"}, "plan-goal"),
                created_by=user,
            )
            goals.append(goal)
            for _ in range(rng.randint(1, 3) if overdue else 1):
                days = -rng.randint(1, 60) if overdue else rng.randint(1, 90)
                steps.append(
                    Step(
                        goal=goal,
                        person_id=pid,
                        text_ct=seal(pid, {"text": "A step", "language": "eng"}, "plan-step"),
                        assignee="person",
                        due_on=today + timedelta(days=days),
                        created_by=user,
                    )
                )
        roll = rng.random()
        if roll < shares["referral_unanswered"] + shares["referral_moving"]:
            unanswered = roll < shares["referral_unanswered"]
            counts["referral_unanswered" if unanswered else "referral_moving"] += 1
            sent = now - timedelta(days=rng.randint(4, 20) if unanswered else rng.randint(1, 3))
            referrals.append(
                Referral(
                    person_id=pid,
                    sending_agency=agency,
                    created_by=user,
                    recipient_agency=partner,
                    recipient_name=partner.name,
                    service_category="legal_civil",
                    delivery=Delivery.NETWORK,
                    status=Status.REQUESTED if unanswered else Status.ACCEPTED,
                    status_changed_at=sent,
                    sent_at=sent,
                    acknowledged_at=None if unanswered else sent + timedelta(hours=5),
                    last_activity_at=sent if unanswered else now - timedelta(hours=6),
                )
            )
        roll = rng.random()
        if roll < shares["consent_expiring"] + shares["consent_later"]:
            expiring = roll < shares["consent_expiring"]
            counts["consent_expiring" if expiring else "consent_later"] += 1
            days = rng.randint(1, 13) if expiring else rng.randint(60, 300)
            consents.append(
                Consent(
                    person_id=pid,
                    disclosing_agency=agency,
                    recipient_agency=partner,
                    purposes=["care_coordination", "case_conferencing"],
                    categories=["identity", "plan"],
                    valid_from=now - timedelta(days=30),
                    expires_at=now + timedelta(days=days),
                    method="electronic_signature",
                    language="eng",
                    form_language="en",
                    grantor_capacity="self",
                    signature_kind="typed",
                    signed_at=now - timedelta(days=30),
                    recorded_by=user,
                )
            )
    Goal.objects.bulk_create(goals, batch_size=500)
    Step.objects.bulk_create(steps, batch_size=500)
    Referral.objects.bulk_create(referrals, batch_size=500)
    Consent.objects.bulk_create(consents, batch_size=500)
    return counts
