"""Two years of history for the dashboard: ~200 persons with services, needs, referrals and
repeated assessments, bulk-created (plain rows; identities sealed, no names in any report).

Deterministic (seeded), and shaped so the dashboard shows trends, at least one "<11" cell
(transgender persons, persons aged under 18 at intake) and the complementary "*" it forces.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from wayfinder.assessments.models import Need, NeedStatus, Score, Session, SessionStatus
from wayfinder.core import crypto
from wayfinder.core.service_categories import ServiceCategory, Urgency
from wayfinder.delivery.models import ServiceDelivery, Unit
from wayfinder.people.models import Identity, Person
from wayfinder.people.sealing import IDENTITY_PURPOSE
from wayfinder.referrals.models import Delivery, Referral, Status

HISTORY = 200
PARTNERS = ("legal", "housing", "mental", "sud", "vocational", "health")
CATEGORY_OF = {
    "legal": ServiceCategory.LEGAL_IMMIGRATION,
    "housing": ServiceCategory.HOUSING,
    "mental": ServiceCategory.MENTAL_HEALTH,
    "sud": ServiceCategory.SUBSTANCE_USE,
    "vocational": ServiceCategory.VOCATIONAL,
    "health": ServiceCategory.MEDICAL,
}


def _at(day) -> datetime:
    return datetime.combine(day, time(10), timezone.get_current_timezone())


def load(net) -> None:
    rng = random.Random(15)
    today = timezone.localdate()
    lead = net.agencies["lead"]
    people = []
    for n in range(HISTORY):
        intake = today - timedelta(days=int(730 * (1 - (n / HISTORY) ** 0.8)))
        minor = n % 23 == 0
        gender = "transgender" if n % 41 == 0 else ("man" if n % 3 == 0 else "woman")
        person = Person(
            owner_agency=lead,
            birth_year=intake.year - (16 if minor else rng.randint(19, 55)),
            gender_identity=gender,
            trafficking_form=rng.choice(["sex", "sex", "labour", "labour", "both", "unknown"]),
            preferred_languages=[rng.choice(["eng", "eng", "spa", "spa", "tgl", "fra"])],
            referral_source=rng.choice(
                ["hotline", "law_enforcement", "self", "health_care", "community"]
            ),
        )
        key = crypto.create_data_key(person.pk, lead.pk)
        identity = Identity(chosen_name=f"History {n + 1}")
        person.identity_ct = crypto.encrypt_json(
            person.pk, key, identity.to_json(), IDENTITY_PURPOSE
        )
        people.append((person, intake))
    Person.objects.bulk_create([p for p, _ in people])
    for p, intake in people:
        p.created_at = _at(intake)
    Person.objects.bulk_update([p for p, _ in people], ["created_at"])

    services, needs, referrals, sessions, scores = [], [], [], [], []
    for p, intake in people:
        span = (today - intake).days
        for _k in range(rng.randint(1, 5)):
            partner = rng.choice(PARTNERS)
            services.append(
                ServiceDelivery(
                    person=p,
                    agency=net.agencies[partner] if rng.random() < 0.6 else lead,
                    delivered_on=intake + timedelta(days=rng.randint(0, max(span, 0))),
                    category=CATEGORY_OF[partner]
                    if rng.random() < 0.6
                    else ServiceCategory.CASE_MANAGEMENT,
                    quantity=rng.randint(1, 4),
                    unit=Unit.SESSIONS,
                )
            )
        for _k in range(rng.randint(1, 3)):
            partner = rng.choice(PARTNERS)
            met = span > 90 and rng.random() < 0.6
            needs.append(
                Need(
                    person=p,
                    category=CATEGORY_OF[partner],
                    urgency=Urgency.MEDIUM,
                    status=NeedStatus.MET if met else NeedStatus.OPEN,
                )
            )
            sent = _at(intake + timedelta(days=rng.randint(0, 10)))
            if sent.date() > today:
                continue
            hours = rng.choice([4, 20, 30, 47, 60, 120])
            outcome = rng.choice(
                [
                    Status.COMPLETED,
                    Status.COMPLETED,
                    Status.IN_PROGRESS,
                    Status.REJECTED,
                    Status.CANCELLED,
                    Status.FAILED,
                ]
            )
            ack = sent + timedelta(hours=hours)
            closed = (
                sent + timedelta(days=rng.randint(10, 80))
                if outcome != Status.IN_PROGRESS
                else None
            )
            if closed and closed.date() > today:
                outcome, closed = Status.IN_PROGRESS, None
            referrals.append(
                Referral(
                    person=p,
                    sending_agency=lead,
                    recipient_agency=net.agencies[partner],
                    recipient_name=net.agencies[partner].name,
                    service_category=CATEGORY_OF[partner],
                    delivery=Delivery.NETWORK,
                    status=outcome,
                    status_changed_at=closed or ack,
                    last_activity_at=closed or ack,
                    sent_at=sent,
                    acknowledged_at=ack,
                    closed_at=closed,
                    # Most people whose referral was completed answered "Did you get the help?"
                    survivor_confirmation=(
                        rng.choice(["yes", "yes", "yes", "partly", "no", ""])
                        if outcome == Status.COMPLETED
                        else ""
                    ),
                    survivor_confirmed_at=closed if outcome == Status.COMPLETED else None,
                )
            )
        # Resilience every ~4 months, rising on the whole; the newest persons have one session.
        brs = rng.uniform(1.8, 3.2)
        for k in range(min(4, 1 + span // 120)):
            on = intake + timedelta(days=120 * k + rng.randint(0, 14))
            if on > today:
                break
            s = Session(
                person=p,
                agency=lead,
                instrument_id="brief_resilience_scale",
                instrument_version=1,
                kind="resilience",
                status=SessionStatus.COMPLETED,
                mode="in_person",
                language="eng",
                conducted_on=on,
                completed_at=_at(on),
            )
            sessions.append(s)
            scores.append(
                Score(session=s, score_id="brs", value=round(min(5.0, brs), 2), answered=6)
            )
            brs += rng.uniform(-0.2, 0.6)
    ServiceDelivery.objects.bulk_create(services)
    Need.objects.bulk_create(needs)
    Referral.objects.bulk_create(referrals)
    Session.objects.bulk_create(sessions)
    Session.objects.filter(agency=lead).mark_latest()
    Score.objects.bulk_create(scores)
