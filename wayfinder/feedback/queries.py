"""Results of the feedback survey: per agency, per domain, per closed calendar quarter.

The rules (``docs/feedback.md``):

- a domain's figure is worked out only when at least ``WAYFINDER_FEEDBACK_MIN_RESPONSES``
  responses (default 5) of that agency and quarter answered it; otherwise the figure is None and
  reads "not enough responses yet to protect anonymity". Pages, the API and the CSV export all
  read these objects, so a hidden figure cannot reach any of them;
- periods are whole calendar quarters that never overlap, so no figure can be subtracted from
  another to single out a few answers; and a quarter shows nothing until it has ended
  (``WAYFINDER_FEEDBACK_SHOW_OPEN_PERIOD``), so figures never move one answer at a time;
- comments appear under the same rules, and only once the check passed them or an admin
  released them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone

from wayfinder.assessments.instruments import DECLINED, Text
from wayfinder.assessments.scoring import DECLINED as DECLINED_ANSWER
from wayfinder.assessments.scoring import compute_score, visible_items
from wayfinder.feedback.actions import survey
from wayfinder.feedback.models import Comment, CommentStatus, Response

_PERIOD_RE = re.compile(r"^(\d{4})-Q([1-4])$")


def min_responses() -> int:
    return max(int(getattr(settings, "WAYFINDER_FEEDBACK_MIN_RESPONSES", 5)), 1)


def show_open_period() -> bool:
    return bool(getattr(settings, "WAYFINDER_FEEDBACK_SHOW_OPEN_PERIOD", False))


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int

    @classmethod
    def parse(cls, text: str) -> Period | None:
        m = _PERIOD_RE.match(text or "")
        if not m or not 2000 <= int(m.group(1)) <= 2999:
            return None
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, day: date) -> Period:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self) -> date:  # the first day after the period
        nxt = self.next()
        return date(nxt.year, 3 * nxt.quarter - 2, 1)

    def next(self) -> Period:
        return (
            Period(self.year + 1, 1) if self.quarter == 4 else Period(self.year, self.quarter + 1)
        )

    def previous(self) -> Period:
        return (
            Period(self.year - 1, 4) if self.quarter == 1 else Period(self.year, self.quarter - 1)
        )

    def is_open(self, today: date | None = None) -> bool:
        return self.end > (today or timezone.localdate())

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter}"


def default_period() -> Period:
    """The last quarter that has ended (the current one if open periods are shown)."""
    current = Period.of(timezone.localdate())
    return current if show_open_period() else current.previous()


def period_choices(count: int = 6) -> list[Period]:
    first = Period.of(timezone.localdate())
    if not show_open_period():
        first = first.previous()
    out = [first]
    while len(out) < count:
        out.append(out[-1].previous())
    return out


@dataclass(frozen=True)
class DomainResult:
    id: str
    label: Text
    kind: str  # "mean" (1-4) or "share" (0-1, shown as a percentage)
    shown: bool
    value: float | None = None  # None unless shown: never computed below the threshold
    responses: int | None = None  # likewise


@dataclass(frozen=True)
class AgencyResults:
    agency_id: object
    agency_name: str
    period: Period
    open: bool  # the period has not ended (and open periods are hidden)
    domains: list[DomainResult]


def _answers(row: Response) -> dict:
    return {k: (DECLINED_ANSWER if v == DECLINED else v) for k, v in row.answers.items()}


def results(agency, period: Period) -> AgencyResults:
    inst = survey()
    hide_all = period.is_open() and not show_open_period()
    scored: dict[str, list[float]] = {rule.id: [] for rule in inst.scores}
    if not hide_all:
        rows = Response.objects.filter(
            agency=agency,
            instrument_id=inst.id,
            answered_on__gte=period.start,
            answered_on__lt=period.end,
        ).only("answers")
        for row in rows:
            answers = _answers(row)
            shown = visible_items(inst, answers)
            for rule in inst.scores:
                result = compute_score(inst, rule, answers, shown)
                if result.value is not None:
                    scored[rule.id].append(result.value)
    threshold = min_responses()
    domains = []
    for rule in inst.scores:
        values = scored[rule.id]
        kind = "share" if rule.range and rule.range[1] <= 1 else "mean"
        if len(values) >= threshold:
            domains.append(
                DomainResult(
                    rule.id,
                    rule.label,
                    kind,
                    True,
                    round(sum(values) / len(values), 1 if kind == "mean" else 2),
                    len(values),
                )
            )
        else:
            domains.append(DomainResult(rule.id, rule.label, kind, False))
    return AgencyResults(agency.pk, agency.name, period, hide_all, domains)


def enough_responses(agency, period: Period) -> bool:
    if period.is_open() and not show_open_period():
        return False
    count = Response.objects.filter(
        agency=agency, answered_on__gte=period.start, answered_on__lt=period.end
    ).count()
    return count >= min_responses()


def shown_comments(agency, period: Period) -> list[Comment]:
    """Comments of a period that passed the check or were released, if the period may show."""
    if not enough_responses(agency, period):
        return []
    return list(
        Comment.objects.filter(
            agency=agency,
            status=CommentStatus.SHOWN,
            received_on__gte=period.start,
            received_on__lt=period.end,
        ).order_by("received_on", "text")
    )


def held_comments(agency) -> list[Comment]:
    """Flagged comments waiting for review, from periods that may show (the same rule)."""
    rows = Comment.objects.filter(agency=agency, status=CommentStatus.HELD).order_by("received_on")
    allowed: dict[Period, bool] = {}
    out = []
    for row in rows:
        p = Period.of(row.received_on)
        if p not in allowed:
            allowed[p] = enough_responses(agency, p)
        if allowed[p]:
            out.append(row)
    return out
