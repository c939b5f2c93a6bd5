"""The agenda builds itself: people on the chair agency's caseload who need the team, and why.

Each reason is computed from the data and explained in one line (``reasons.REASONS``):
- ``steps_overdue``: open plan steps past their due date;
- ``referral_unanswered``: referrals unanswered past the acknowledgement window, or open with no
  update for too long (``referrals.queries.overdue_q``, the inbox's own rule);
- ``consent_expiring``: an active consent that ends within 14 days;
- ``actions_overdue``: open action items of past meetings past their due date (not those taken
  into the plan: an overdue plan step counts as such).

- ``needs_urgent``: immediate or high-urgency needs that an assessment found since the last
  meeting of the series (or within 30 days, for its first meeting);
- ``protective_dropped`` / ``resilience_dropped``: the charted score fell between the two latest
  completed sessions of a protective-factors or a resilience instrument;
- ``safety_changed``: a safety flag raised since the last meeting of the series and still open.

A bounded number of queries, whatever the caseload (``QUERIES``): one grouped count per reason,
one for the scores, one for the last meeting, one for the items already on the agenda and one for
the persons (tests/test_proposals.py pins it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from wayfinder.assessments.models import (
    ACTIVE_NEED_STATUSES,
    Need,
    SafetyFlag,
    Score,
    SessionStatus,
)
from wayfinder.conferences.models import ActionItem, ActionStatus, Meeting
from wayfinder.consent.models import Consent
from wayfinder.core.service_categories import Urgency
from wayfinder.people.models import Person
from wayfinder.plans.models import Step, StepStatus
from wayfinder.referrals.models import Referral
from wayfinder.referrals.queries import overdue_q

CONSENT_WINDOW = timedelta(days=14)
NEW_WINDOW = timedelta(days=30)  # "new" for a series' first meeting
QUERIES = 10  # what ``propose`` costs, at 10 persons or 10,000


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
        **assessment_reasons(meeting, caseload, now),
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


# --- reasons from assessments and the safety level ---

# The score that says "better" when it rises, per instrument kind (instrument YAML ``scores``).
DROP_SCORES = {"protective_factors": "pf_mean", "resilience": "brs"}
DROP_REASON = {"protective_factors": "protective_dropped", "resilience": "resilience_dropped"}


def _since(meeting: Meeting, now) -> object:
    """The start of the last meeting of the series before this one, else 30 days ago."""
    last = (
        Meeting.objects.filter(series_id=meeting.series_id, starts_at__lt=meeting.starts_at)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return last if last is not None and last <= now else now - NEW_WINDOW


def _drops(caseload: dict) -> dict[str, dict]:
    """Per reason code, {person_id: 1} where the latest completed score is below the one before.

    One query: the scores of completed sessions, newest first; the two latest per person and kind
    are compared (a score left empty, too few answers, is skipped).
    """
    rows = (
        Score.objects.filter(
            session__status=SessionStatus.COMPLETED,
            session__kind__in=list(DROP_SCORES),
            score_id__in=list(DROP_SCORES.values()),
            value__isnull=False,
            **{f"session__{k}": v for k, v in caseload.items()},
        )
        .order_by("-session__conducted_on", "-session__completed_at", "-session__created_at")
        .values_list("session__person_id", "session__kind", "score_id", "value")
    )
    latest: dict[tuple, list[float]] = {}
    for person_id, kind, score_id, value in rows:
        if value is None or DROP_SCORES.get(kind) != score_id:
            continue
        seen = latest.setdefault((person_id, kind), [])
        if len(seen) < 2:
            seen.append(value)
    out: dict[str, dict] = {code: {} for code in DROP_REASON.values()}
    for (person_id, kind), values in latest.items():
        if len(values) == 2 and values[0] < values[1]:
            out[DROP_REASON[kind]][person_id] = 1
    return out


def assessment_reasons(meeting: Meeting, caseload: dict, now) -> dict[str, dict]:
    """Urgent needs found since the last meeting, dropped scores, a changed safety level."""
    since = _since(meeting, now)
    return {
        "needs_urgent": _counts(
            Need.objects.filter(
                urgency__in=[Urgency.IMMEDIATE, Urgency.HIGH],
                status__in=ACTIVE_NEED_STATUSES,
                source_session__isnull=False,
                created_at__gte=since,
                **caseload,
            )
        ),
        **_drops(caseload),
        "safety_changed": _counts(
            SafetyFlag.objects.filter(responded_at__isnull=True, raised_at__gte=since, **caseload)
        ),
    }
