"""The agenda builds itself: people on the chair agency's caseload who need the team, and why.

Each reason is computed from the data and explained in one line (``reasons.REASONS``):
- ``steps_overdue``: open plan steps past their due date;
- ``referral_unanswered``: referrals unanswered past the acknowledgement window, or open with no
  update for too long (``referrals.queries.overdue_q``, the inbox's own rule);
- ``consent_expiring``: an active consent that ends within 14 days;
- ``actions_overdue``: open action items of past meetings past their due date (not those taken
  into the plan: an overdue plan step counts as such).

A bounded number of queries, whatever the caseload: one grouped count per reason, one for the
items already on the agenda and one for the persons (tests/test_proposals.py pins it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from wayfinder.conferences.models import ActionItem, ActionStatus, Meeting
from wayfinder.consent.models import Consent
from wayfinder.people.models import Person
from wayfinder.plans.models import Step, StepStatus
from wayfinder.referrals.models import Referral
from wayfinder.referrals.queries import overdue_q

CONSENT_WINDOW = timedelta(days=14)


@dataclass(frozen=True)
class Proposal:
    person: Person
    reasons: list[dict]  # [{"code", "category", "count"}], as stored on an AgendaItem


def _counts(qs) -> dict:
    return {r["person_id"]: r["n"] for r in qs.values("person_id").annotate(n=Count("pk"))}


def propose(meeting: Meeting, *, now=None) -> list[Proposal]:
    """Who the chair agency might put on this meeting's agenda, most reasons first."""
    from wayfinder.conferences.reasons import REASONS

    now = now or timezone.now()
    today = timezone.localdate(now)
    chair = meeting.series.chair_agency_id
    caseload = {"person__owner_agency_id": chair, "person__forgotten_at__isnull": True}
    found = {
        "steps_overdue": _counts(
            Step.objects.filter(status=StepStatus.OPEN, due_on__lt=today, **caseload)
        ),
        "referral_unanswered": _counts(Referral.objects.filter(overdue_q(now), **caseload)),
        "consent_expiring": _counts(
            Consent.objects.active(now).filter(expires_at__lte=now + CONSENT_WINDOW, **caseload)
        ),
        "actions_overdue": _counts(
            ActionItem.objects.filter(
                status=ActionStatus.OPEN, due_on__lt=today, step_id__isnull=True, **caseload
            )
        ),
    }
    on_agenda = set(meeting.items.values_list("person_id", flat=True))
    ids = {pid for counts in found.values() for pid in counts} - on_agenda
    # Only what a proposal shows and what putting it on the agenda checks (the gate): at 10,000
    # persons a full row each (sealed identity, JSON fields) costs more than the counts.
    persons = (
        Person.objects.filter(pk__in=ids)
        .only("pk", "pseudonym", "owner_agency_id", "forgotten_at")
        .order_by("pseudonym")
    )
    category = {code: str(REASONS[code][0]) for code in found}
    out = []
    for person in persons:
        reasons = [
            {"code": code, "category": category[code], "count": counts[person.pk]}
            for code, counts in found.items()
            if person.pk in counts
        ]
        out.append(Proposal(person, reasons))
    out.sort(key=lambda p: (-sum(r["count"] for r in p.reasons), p.person.pseudonym))
    return out
