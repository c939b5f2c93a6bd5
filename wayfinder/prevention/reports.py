"""Aggregate prevention reports for one agency: counts and means only, never a trainee's name.

Every figure is computed from rows the trainee purge keeps (sector, status, attendance, scores),
so the figures are the same before and after ``purge_trainees``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from wayfinder.accounts.models import Agency
from wayfinder.prevention.models import (
    Audience,
    Campaign,
    HelpVisit,
    OutreachEvent,
    Registration,
    RegistrationStatus,
    Sector,
)
from wayfinder.prevention.queries import knowledge_gain


@dataclass
class Table:
    name: str
    title: str
    headers: list[str]
    rows: list[list]


def quarter_of(dt) -> str:
    local = timezone.localtime(dt)
    return f"{local.year}-Q{(local.month - 1) // 3 + 1}"


def _registered(agency: Agency):
    return (
        Registration.objects.filter(session__agency=agency, status=RegistrationStatus.REGISTERED)
        .select_related("session", "session__course")
        .order_by("session__starts_at", "pk")
    )


def people_trained(agency: Agency) -> Table:
    """By quarter, course and sector: registered, attended, and completed (post check done)."""
    counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in _registered(agency):
        key = (quarter_of(r.session.starts_at), r.session.course.title, r.sector)
        row = counts[key]
        row[0] += 1
        row[1] += int(r.attended)
        row[2] += int(r.completed)
    rows = [
        [q, course, str(Sector(sector).label), *row]
        for (q, course, sector), row in sorted(counts.items())
    ]
    return Table(
        "trained",
        _("People trained by quarter, course and sector"),
        [_("Quarter"), _("Course"), _("Sector"), _("Registered"), _("Attended"), _("Completed")],
        rows,
    )


def knowledge(agency: Agency) -> Table:
    """Knowledge-check change by course: mean share right before and after, pairs only."""
    by_course: dict[str, list[Registration]] = defaultdict(list)
    for r in _registered(agency):
        by_course[r.session.course.title].append(r)
    rows = []
    for title, regs in sorted(by_course.items()):
        g = knowledge_gain(regs)
        rows.append([title, g.pairs, g.pre_mean, g.post_mean, g.change])
    return Table(
        "knowledge",
        _("Knowledge gain by course"),
        [_("Course"), _("Trainees with both checks"), _("Before (%)"), _("After (%)"), _("Change")],
        rows,
    )


def campaign_reach(agency: Agency) -> Table:
    """Outreach by campaign, audience and language: events and people reached."""
    rows = [
        [
            r["campaign__name"],
            str(Audience(r["audience"]).label),
            r["language"],
            r["events"],
            r["reached"],
        ]
        for r in OutreachEvent.objects.filter(campaign__agency=agency)
        .values("campaign__name", "audience", "language")
        .annotate(reached=Sum("people_reached"), events=Count("id"))
        .order_by("campaign__name", "audience", "language")
    ]
    return Table(
        "campaigns",
        _("Campaign reach by audience and language"),
        [_("Campaign"), _("Audience"), _("Language"), _("Events"), _("People reached")],
        rows,
    )


def visits_by_code(*, campaign: Campaign | None = None, agency: Agency | None = None) -> dict:
    """Help-page visits through each code: {code: visits}."""
    qs = HelpVisit.objects.exclude(code=None)
    if campaign is not None:
        qs = qs.filter(code__campaign=campaign)
    if agency is not None:
        qs = qs.filter(code__campaign__agency=agency)
    return dict(
        qs.values("code__code").annotate(n=Sum("count")).values_list("code__code", "n").order_by()
    )


def help_visits(agency: Agency) -> Table:
    counts = visits_by_code(agency=agency)
    rows = [
        [name, code, counts.get(code, 0)]
        for name, code in Campaign.objects.filter(agency=agency)
        .values_list("name", "codes__code")
        .exclude(codes__code=None)
        .order_by("name", "codes__code")
    ]
    direct = HelpVisit.objects.filter(code=None).aggregate(n=Sum("count"))["n"] or 0
    rows.append([_("(no code: straight to the page, whole network)"), "", direct])
    return Table(
        "visits",
        _("Help-page visits by campaign code"),
        [_("Campaign"), _("Code"), _("Visits")],
        rows,
    )


def all_tables(agency: Agency) -> list[Table]:
    return [people_trained(agency), knowledge(agency), campaign_reach(agency), help_visits(agency)]
