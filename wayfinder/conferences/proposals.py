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

from django.db.models import Count, F, Q, Window
from django.db.models.functions import Lead, RowNumber
from django.utils import timezone

import wayfinder.core.lookups  # noqa: F401 (registers ``any_of``)
from wayfinder.assessments.models import (
    ACTIVE_NEED_STATUSES,
    Need,
    SafetyFlag,
    Score,
    SessionStatus,
)
from wayfinder.conferences.models import ActionItem, ActionStatus, Meeting
from wayfinder.consent.models import Consent
from wayfinder.core.db import planned_each_time
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


def _found(meeting: Meeting, now, caseload: dict) -> dict[str, dict]:
    """{reason code: {person id: count}} over ``caseload`` (the ORM filters of whose work)."""
    today = timezone.localdate(now)
    return {
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


def _caseload(meeting: Meeting) -> dict:
    return {
        "person__owner_agency_id": meeting.series.chair_agency_id,
        "person__forgotten_at__isnull": True,
    }


def _persons(ids):
    # Only what a proposal shows and what putting it on the agenda checks (the gate): at 10,000
    # persons a full row each (sealed identity, JSON fields) costs more than the counts.
    return Person.objects.filter(pk__any_of=ids).only(
        "pk", "pseudonym", "owner_agency_id", "forgotten_at"
    )


def _proposals(persons, found: dict[str, dict]) -> list[Proposal]:
    """Each person's proposal (its reasons in ``found``), most reasons first."""
    from wayfinder.conferences.reasons import REASONS

    category = {code: str(REASONS[code][0]) for code in found}
    out = [
        Proposal(
            person,
            [
                {"code": code, "category": category[code], "count": counts[person.pk]}
                for code, counts in found.items()
                if person.pk in counts
            ],
        )
        for person in persons
    ]
    out.sort(key=lambda p: (-sum(r["count"] for r in p.reasons), p.person.pseudonym))
    return out


def propose(meeting: Meeting, *, now=None) -> list[Proposal]:
    """Who the chair agency might put on this meeting's agenda, most reasons first."""
    return proposed(meeting, now=now)[0]


def proposed(meeting: Meeting, *, first: int | None = None, now=None) -> tuple[list, int]:
    """The ``first`` proposals (all if None), most reasons first, and how many there are.

    Only the persons shown are read: the counts rank everyone, and where the ``first`` end
    among persons with as many reasons as each other, the database picks the earliest record
    codes of that tie. (At 10⁶ persons the lead agency had 49,413 to propose; reading each
    person's row to sort them cost more than counting their reasons.)
    """
    now = now or timezone.now()
    with planned_each_time():  # grouped counts over the whole caseload (wayfinder.core.db)
        found = _found(meeting, now, _caseload(meeting))
    on_agenda = set(meeting.items.values_list("person_id", flat=True))
    totals: dict = {}
    for counts in found.values():
        for pid, n in counts.items():
            totals[pid] = totals.get(pid, 0) + n
    for pid in on_agenda:
        totals.pop(pid, None)
    if first is None or len(totals) <= first:
        persons = list(_persons(list(totals)))
    else:
        edge = sorted(totals.values(), reverse=True)[first - 1] if first else None
        above = [pid for pid, n in totals.items() if edge is not None and n > edge]
        tied = [pid for pid, n in totals.items() if n == edge]
        persons = list(_persons(above)) if above else []
        if first > len(above):
            persons += _persons(tied).order_by("pseudonym")[: first - len(above)]
    return _proposals(persons, found), len(totals)


def proposal_for(meeting: Meeting, person_id, *, now=None) -> Proposal | None:
    """The one person's proposal, with the reasons ``propose`` gives them (None if none, or if
    they are already on the agenda): what the chair's "Add to the agenda" puts on it, computed
    for that person alone."""
    now = now or timezone.now()
    found = _found(meeting, now, {**_caseload(meeting), "person_id": person_id})
    if not any(found.values()) or meeting.items.filter(person_id=person_id).exists():
        return None
    return next(iter(_proposals(_persons([person_id]), found)), None)


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
    """Per reason code, {person id: 1} where the latest completed score is below the one before.

    One query: per person and kind, the database numbers the completed sessions' scores newest
    first and keeps the latest where it is below the next (a score left empty, too few answers,
    is skipped). It returns the few who dropped, not every score of the caseload: reading and
    pairing those here took 0.7 s for the lead agency of the 10⁶ bench (112,531 scores).
    """
    per_person = [F("session__person_id"), F("session__kind")]
    newest_first = [
        F("session__conducted_on").desc(),
        F("session__completed_at").desc(),
        F("session__created_at").desc(),
    ]
    charted = Q()
    for kind, score_id in DROP_SCORES.items():
        charted |= Q(session__kind=kind, score_id=score_id)
    rows = (
        Score.objects.filter(
            charted,
            session__status=SessionStatus.COMPLETED,
            value__isnull=False,
            **{f"session__{k}": v for k, v in caseload.items()},
        )
        .annotate(
            nth=Window(RowNumber(), partition_by=per_person, order_by=newest_first),
            before=Window(Lead("value"), partition_by=per_person, order_by=newest_first),
        )
        .filter(nth=1, value__lt=F("before"))
        .order_by()
        .values_list("session__person_id", "session__kind")
    )
    out: dict[str, dict] = {code: {} for code in DROP_REASON.values()}
    for person_id, kind in rows:
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
