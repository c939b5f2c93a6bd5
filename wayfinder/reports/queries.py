"""Read-only aggregate queries behind the measures, and the one door to suppression.

Every figure leaves this module as a ``Figure`` whose numbers already went through
``suppression``: the dashboard, the API, CSV, XLSX and the charts only ever read those. No
query here returns a person, a pseudonym or a date of birth; grouping happens in the database.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connections
from django.db.models import Case, CharField, Count, F, FloatField, Q, QuerySet, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wayfinder.accounts.actor import Actor
from wayfinder.accounts.models import Agency, Role
from wayfinder.assessments.models import Answer, Need, NeedStatus, Score, Session, SessionStatus
from wayfinder.core.interpretation import Interpretation
from wayfinder.core.languages import LANGUAGES, UI_TO_ISO
from wayfinder.core.service_categories import ServiceCategory
from wayfinder.delivery.models import ServiceDelivery
from wayfinder.people.models import GenderIdentity, Person, ReferralSource, TraffickingForm
from wayfinder.plans.models import Domain, Goal, GoalStatus
from wayfinder.referrals.models import Referral, Status, SurvivorConfirmation
from wayfinder.reports import measures as m
from wayfinder.reports.suppression import (
    DEFAULT_THRESHOLD,
    Published,
    Table,
    publish,
    publish_mean,
    publish_share,
)

ALL = "all"
UNKNOWN = "unknown"
ACCEPTED_STATUSES = (
    Status.ACCEPTED,
    Status.IN_PROGRESS,
    Status.ON_HOLD,
    Status.COMPLETED,
    Status.FAILED,
)
# The six protective factors of the profile, each rated 0 (not yet) .. 2 (in place).
PROTECTIVE_ITEMS = (
    "substance_treatment",
    "role_models",
    "community_engagement",
    "housing_income",
    "skills_training",
    "awareness",
)
PROTECTIVE_SCORE = {"present": 2, "partly": 1, "not_yet": 0}
RESILIENCE_SCORE = "brs"


def threshold() -> int:
    return int(getattr(settings, "WAYFINDER_REPORT_THRESHOLD", DEFAULT_THRESHOLD))


@dataclass(frozen=True)
class Scope:
    """Whose figures: the whole network (``agency`` None) or one agency's."""

    agency: Agency | None

    @property
    def network(self) -> bool:
        return self.agency is None


def scope_for(actor: Actor) -> Scope | None:
    """Network admins and analysts see the network; other staff their own agency; None: no one."""
    if Role.NETWORK_ADMIN in actor.roles or Role.ANALYST in actor.roles:
        return Scope(None)
    if actor.agency is not None and actor.roles:
        return Scope(actor.agency)
    return None


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def bounds(self) -> tuple[datetime, datetime]:
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tz),
            datetime.combine(self.end + timedelta(days=1), time.min, tz),
        )

    def label(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


def quarter_of(day: date) -> Period:
    q = (day.month - 1) // 3
    start = date(day.year, q * 3 + 1, 1)
    nxt = date(day.year + (q == 3), (q * 3 + 3) % 12 + 1, 1)
    return Period(start, nxt - timedelta(days=1))


# --- populations: a queryset and how each dimension reads from it ---------------------------------


def _persons(scope: Scope, period: Period, *, new_only: bool) -> QuerySet:
    lo, hi = period.bounds()
    qs = Person.objects.filter(forgotten_at__isnull=True)
    if scope.agency is not None:
        qs = qs.filter(owner_agency_id=scope.agency.pk)
    intake = Q(created_at__gte=lo, created_at__lt=hi)
    if new_only:
        qs = qs.filter(intake)
    else:
        served = ServiceDelivery.objects.filter(
            delivered_on__gte=period.start, delivered_on__lte=period.end
        ).values("person_id")
        qs = qs.filter(intake | Q(pk__in=served))
    return qs.annotate(
        age_group=Case(
            When(birth_year__isnull=True, then=Value(UNKNOWN)),
            When(created_at__year__lt=F("birth_year") + 18, then=Value("minor")),
            default=Value("adult"),
            output_field=CharField(),
        ),
        language=Coalesce(KeyTextTransform("0", "preferred_languages"), Value("")),
    )


def _needs(scope: Scope, period: Period) -> QuerySet:
    lo, hi = period.bounds()
    qs = Need.objects.filter(
        created_at__gte=lo, created_at__lt=hi, person__forgotten_at__isnull=True
    )
    if scope.agency is not None:
        qs = qs.filter(person__owner_agency_id=scope.agency.pk)
    return qs.annotate(
        met=Case(
            When(status=NeedStatus.MET, then=Value("met")),
            default=Value("not_met"),
            output_field=CharField(),
        ),
        agency_id=F("person__owner_agency_id"),
    )


def _referrals(scope: Scope, period: Period) -> QuerySet:
    lo, hi = period.bounds()
    qs = Referral.objects.filter(sent_at__gte=lo, sent_at__lt=hi).exclude(
        status=Status.ENTERED_IN_ERROR
    )
    if scope.agency is not None:
        qs = qs.filter(
            Q(sending_agency_id=scope.agency.pk) | Q(recipient_agency_id=scope.agency.pk)
        )
    return qs


def _services(scope: Scope, period: Period) -> QuerySet:
    qs = ServiceDelivery.objects.filter(
        delivered_on__gte=period.start, delivered_on__lte=period.end
    )
    if scope.agency is not None:
        qs = qs.filter(agency_id=scope.agency.pk)
    return qs


def _goals(scope: Scope, period: Period) -> QuerySet:
    lo, hi = period.bounds()
    qs = Goal.objects.filter(
        status=GoalStatus.ACHIEVED, status_changed_at__gte=lo, status_changed_at__lt=hi
    )
    if scope.agency is not None:
        qs = qs.filter(agency_id=scope.agency.pk)
    return qs


def _sessions(scope: Scope, period: Period) -> QuerySet:
    """Assessment sessions conducted in the period, with the language spoken: the one
    interpreted when an interpreter took part, else the language of the questions (as an
    ISO 639-3 code, like the person's preferred language)."""
    qs = Session.objects.filter(conducted_on__gte=period.start, conducted_on__lte=period.end)
    if scope.agency is not None:
        qs = qs.filter(agency_id=scope.agency.pk)
    spoken = Case(
        When(~Q(interpreter_language=""), then=F("interpreter_language")),
        *[When(language=ui, then=Value(iso)) for ui, iso in UI_TO_ISO.items()],
        default=F("language"),
        output_field=CharField(),
    )
    return qs.annotate(spoken_language=spoken)


# population -> (queryset builder, {dimension: field}, the columns field or None)
def _population(name: str, scope: Scope, period: Period):
    if name == "persons_served":
        return _persons(scope, period, new_only=False), _PERSON_FIELDS, None
    if name == "persons_new":
        return _persons(scope, period, new_only=True), _PERSON_FIELDS, None
    if name == "needs":
        return _needs(scope, period), {"category": "category", "agency": "agency_id"}, "met"
    if name == "referrals":
        return (
            _referrals(scope, period),
            {"category": "service_category", "agency": "recipient_agency_id"},
            "status",
        )
    if name == "services":
        return _services(scope, period), {"category": "category", "agency": "agency_id"}, None
    if name == "goals_achieved":
        return _goals(scope, period), {"domain": "domain", "agency": "agency_id"}, None
    if name == "sessions":
        return (
            _sessions(scope, period),
            {"language": "spoken_language", "agency": "agency_id"},
            "interpretation",
        )
    raise KeyError(name)


_PERSON_FIELDS = {
    "age_group": "age_group",
    "trafficking_form": "trafficking_form",
    "gender": "gender_identity",
    "language": "language",
    "referral_source": "referral_source",
    "agency": "owner_agency_id",
}

COLUMN_ORDER: dict[str, list[str]] = {
    "met": ["met", "not_met"],
    # "": the question was not asked (no interpreter need known, or before it was asked)
    "interpretation": [*Interpretation.values, ""],
    "status": [
        Status.REQUESTED,
        Status.ACCEPTED,
        Status.IN_PROGRESS,
        Status.ON_HOLD,
        Status.COMPLETED,
        Status.REJECTED,
        Status.CANCELLED,
        Status.FAILED,
    ],
}


def value_label(dimension: str, value) -> str:
    """The words for one value of a dimension (no personal data: codes and agency names)."""
    if value in (None, ""):
        return _("Not recorded")
    value = str(value)
    if value == UNKNOWN:
        return _("Not known")
    tables: dict[str, dict] = {
        "age_group": {"adult": _("Adult"), "minor": _("Minor")},
        "trafficking_form": dict(TraffickingForm.choices),
        "gender": dict(GenderIdentity.choices),
        "referral_source": dict(ReferralSource.choices),
        "category": dict(ServiceCategory.choices),
        "domain": dict(Domain.choices),
        "met": {"met": _("Met"), "not_met": _("Not met yet")},
        "status": dict(Status.choices),
        "interpretation": dict(Interpretation.choices),
        "language": {k: str(v) for k, v in LANGUAGES.items()},
    }
    choices = tables.get(dimension, {})
    if dimension == "agency":
        names = _agency_names()
        return names.get(value, value)
    return str(choices.get(value, value))


def _agency_names() -> dict[str, str]:
    return {str(pk): name for pk, name in Agency.objects.values_list("pk", "name")}


# --- figures ---------------------------------------------------------------------------------------


@dataclass
class Stat:
    """One published statistic: the value (None when suppressed), its words, and its base."""

    label: str
    value: float | None
    display: str
    base: str = ""


@dataclass
class Figure:
    measure: m.Measure
    period: Period
    scope: Scope
    dimension: str = ""
    column_dimension: str = ""
    table: Published | None = None
    stats: list[Stat] = field(default_factory=list)
    row_labels: list[str] = field(default_factory=list)
    column_labels: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.measure.title)

    def headline(self) -> str:
        """The figure's one number as shown (the grand total of a table, else the first stat)."""
        if self.table is not None:
            return self.table.total.display
        return self.stats[0].display if self.stats else ""


def count_table(measure: m.Measure, scope: Scope, period: Period, dimension: str = "") -> Figure:
    """A count measure broken down by ``dimension`` (and its built-in columns, if any)."""
    if dimension and dimension not in measure.dimensions:
        raise ValueError(dimension)
    if dimension == "agency" and not scope.network:
        dimension = ""
    qs, fields, column = _population(measure.population, scope, period)
    row_field = fields.get(dimension) if dimension else None
    group = [f for f in (row_field, column) if f]
    counts: dict[tuple[str, str], int] = {}
    if group:
        for row in qs.order_by().values(*group).annotate(n=Count("pk", distinct=True)):
            r = (
                str(row[row_field])
                if row_field and row[row_field] is not None
                else ("" if row_field else ALL)
            )
            c = str(row[column]) if column else ALL
            counts[(r, c)] = counts.get((r, c), 0) + row["n"]
    else:
        counts[(ALL, ALL)] = qs.order_by().values("pk").distinct().count()
    if row_field:
        rows = sorted(
            {r for r, _c in counts}, key=lambda v: (v in ("", UNKNOWN), value_label(dimension, v))
        )
    else:
        rows = [ALL]
    cols = [str(c) for c in COLUMN_ORDER[column]] if column else [ALL]
    cells = [[counts.get((r, c), 0) for c in cols] for r in rows]
    table = publish(Table.of(rows, cols, cells), threshold=threshold())
    return Figure(
        measure,
        period,
        scope,
        dimension=dimension,
        column_dimension=column or "",
        table=table,
        row_labels=[value_label(dimension, r) if r != ALL else _("All") for r in rows],
        column_labels=[value_label(column, c) if column else _("Count") for c in cols],
    )


def _days(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds() / 86400


def referral_rows(scope: Scope, period: Period) -> list[tuple]:
    """What ``referral_stats`` reads of each referral sent to an agency in the period: its
    status, when it was sent, acknowledged and closed, and the person's confirmation."""
    return list(
        _referrals(scope, period)
        .filter(recipient_agency__isnull=False)
        .values_list("status", "sent_at", "acknowledged_at", "closed_at", "survivor_confirmation")
    )


def referral_stats(
    measure: m.Measure, scope: Scope, period: Period, rows: list[tuple] | None = None
) -> Figure:
    """A share or a median over the referrals sent in the period (``rows``: ``referral_rows``
    of the same scope and period, when the caller computes several of these)."""
    t = threshold()
    rows = referral_rows(scope, period) if rows is None else rows
    stats: list[Stat] = []
    if measure.name == "survivor_confirmed":
        # The closed loop as the person saw it: of the completed referrals, those the person
        # confirmed in the portal ("yes"; "partly" and "no" are not a confirmation).
        completed = [r for r in rows if r[0] == Status.COMPLETED]
        confirmed = sum(1 for r in completed if r[4] == SurvivorConfirmation.YES)
        share = publish_share(confirmed, len(completed), threshold=t)
        stats.append(
            Stat(
                str(measure.title),
                share,
                _share_display(share),
                _("of %(n)s completed referrals") % {"n": _count_display(len(completed), t)},
            )
        )
    elif measure.statistic == m.SHARE:
        ever_accepted = [r for r in rows if r[0] in ACCEPTED_STATUSES]
        fast = sum(1 for r in ever_accepted if r[2] and r[2] - r[1] <= timedelta(hours=48))
        share = publish_share(fast, len(rows), threshold=t)
        stats.append(
            Stat(
                str(measure.title),
                share,
                _share_display(share),
                _("of %(n)s referrals") % {"n": _count_display(len(rows), t)},
            )
        )
    else:
        if measure.name == "days_to_acceptance":
            spans = [_days(r[1], r[2]) for r in rows if r[0] in ACCEPTED_STATUSES and r[2]]
        else:
            spans = [_days(r[1], r[3]) for r in rows if r[0] == Status.COMPLETED and r[3]]
        value = round(statistics.median(spans), 1) if len(spans) >= t else None
        stats.append(
            Stat(
                str(measure.title),
                value,
                _suppressed(t) if value is None else f"{value:.1f}",
                _("of %(n)s referrals") % {"n": _count_display(len(spans), t)},
            )
        )
    return Figure(measure, period, scope, stats=stats)


def _suppressed(t: int) -> str:
    return _("suppressed (fewer than %(t)s)") % {"t": t}


def _count_display(n: int, t: int) -> str:
    return f"<{t}" if 0 < n < t else str(n)


def _share_display(share: float | None) -> str:
    return _("suppressed") if share is None else f"{share * 100:.0f}%"


@dataclass(frozen=True)
class PairedChange:
    """One factor's first-against-latest change, over the persons assessed on it: how many were
    assessed twice or more (``paired``) and once (``single``), the sum of their changes and how
    many improved."""

    paired: int = 0
    single: int = 0
    total_change: float = 0.0
    improved: int = 0


def _score_points(scope: Scope, end: date) -> list[QuerySet]:
    """Each person's assessed values of the factors, as (factor, person, on, created, v): the
    protective-factor answers scored 0-2 and the resilience score, of completed sessions up to
    ``end`` (a declined answer or one without a score is not a point)."""
    sessions = Q(session__status=SessionStatus.COMPLETED, session__conducted_on__lte=end)
    if scope.agency is not None:
        sessions &= Q(session__person__owner_agency_id=scope.agency.pk)
    sessions &= Q(session__person__forgotten_at__isnull=True)
    point = {
        "person": F("session__person_id"),
        "on": F("session__conducted_on"),
        "created": F("session__created_at"),
    }
    scored = Case(
        *(When(value=answer, then=Value(n)) for answer, n in PROTECTIVE_SCORE.items()),
        output_field=FloatField(),
    )
    answers = (
        Answer.objects.filter(sessions, item_id__in=PROTECTIVE_ITEMS, declined=False)
        .annotate(factor=F("item_id"), **point, v=scored)
        .filter(v__isnull=False)
    )
    scores = Score.objects.filter(
        sessions, score_id=RESILIENCE_SCORE, value__isnull=False
    ).annotate(factor=F("score_id"), **point, v=F("value"))
    return [
        qs.order_by().values("factor", "person", "on", "created", "v") for qs in (answers, scores)
    ]


# Per factor and person (``points``: ``_score_points``), the latest value and the earliest in the
# same order, and how many there are; then, per factor, the sums ``PairedChange`` holds. Window
# functions: SQLite 3.25+ and PostgreSQL alike. Only quoted column names are formatted in.
_PAIRED_SQL = """
SELECT {factor},
       SUM(CASE WHEN n = 1 THEN 1 ELSE 0 END),
       SUM(CASE WHEN n > 1 THEN 1 ELSE 0 END),
       SUM(CASE WHEN n > 1 THEN latest - earliest ELSE 0 END),
       SUM(CASE WHEN n > 1 AND latest > earliest THEN 1 ELSE 0 END)
FROM (
    SELECT {factor}, {v} AS latest,
           FIRST_VALUE({v}) OVER (PARTITION BY {factor}, {person}
                                  ORDER BY {on}, {created}, {v}) AS earliest,
           COUNT(*) OVER (PARTITION BY {factor}, {person}) AS n,
           ROW_NUMBER() OVER (PARTITION BY {factor}, {person}
                              ORDER BY {on} DESC, {created} DESC, {v} DESC) AS back
    FROM ({points}) points
) ranked
WHERE back = 1
GROUP BY {factor}
"""


def paired_change(scope: Scope, end: date) -> dict[str, PairedChange]:
    """{factor: its ``PairedChange``}: per person, the first assessment (by date, then when it
    was recorded) against the latest, counted in the database.

    A person with one assessment of a factor is ``single``; with more, their first and latest
    values are paired (the ones between do not count). Only the sums leave the database: a
    network's hundreds of thousands of sittings are not read into the web process (at 10^6
    persons that took 3.4 s of the analyst's dashboard)."""
    found: dict[str, PairedChange] = {}
    for points in _score_points(scope, end):
        sql, params = points.query.sql_with_params()
        connection = connections[points.db]
        names = {
            c: connection.ops.quote_name(c) for c in ("factor", "person", "on", "created", "v")
        }
        totals = _PAIRED_SQL.format(points=sql, **names)
        with connection.cursor() as cursor:
            cursor.execute(totals, params)
            for name, single, paired, change, improved in cursor.fetchall():
                found[name] = PairedChange(int(paired), int(single), float(change), int(improved))
    return found


FACTOR_LABELS = {
    "substance_treatment": gettext_lazy("Support with alcohol or drugs"),
    "role_models": gettext_lazy("Role models, coaches and mentors"),
    "community_engagement": gettext_lazy("Community engagement"),
    "housing_income": gettext_lazy("Stable housing and income"),
    "skills_training": gettext_lazy("Skills and vocational training"),
    "awareness": gettext_lazy("Awareness of red flags and where to seek help"),
    RESILIENCE_SCORE: gettext_lazy("Resilience (Brief Resilience Scale)"),
}


@dataclass
class FactorRow:
    factor: str
    label: str
    persons: str  # persons paired, as published
    excluded: str  # persons with one assessment, as published
    mean_change: float | None
    share_improved: float | None

    @property
    def mean_change_display(self) -> str:
        return _("suppressed") if self.mean_change is None else f"{self.mean_change:+.2f}"

    @property
    def share_improved_display(self) -> str:
        return _share_display(self.share_improved)


def protective_change(scope: Scope, period: Period) -> tuple[Figure, list[FactorRow]]:
    t = threshold()
    changes = paired_change(scope, period.end)
    rows = []
    for factor in (*PROTECTIVE_ITEMS, RESILIENCE_SCORE):
        c = changes.get(factor, PairedChange())
        mean = publish_mean(c.total_change, c.paired, threshold=t)
        rows.append(
            FactorRow(
                factor,
                str(FACTOR_LABELS[factor]),
                _count_display(c.paired, t),
                _count_display(c.single, t),
                round(mean, 2) if mean is not None else None,
                publish_share(c.improved, c.paired, threshold=t),
            )
        )
    figure = Figure(
        m.BY_NAME["protective_change"],
        period,
        scope,
        stats=[Stat(r.label, r.mean_change, r.mean_change_display, r.persons) for r in rows],
    )
    return figure, rows


def figure_for(measure: m.Measure, scope: Scope, period: Period, dimension: str = "") -> Figure:
    if measure.statistic == m.COUNT:
        return count_table(measure, scope, period, dimension or measure.default_dimension)
    if measure.statistic in (m.SHARE, m.MEDIAN_DAYS):
        return referral_stats(measure, scope, period)
    return protective_change(scope, period)[0]


def quarters_back(end: date, n: int) -> list[Period]:
    out = []
    day = end
    for _i in range(n):
        q = quarter_of(day)
        out.append(q)
        day = q.start - timedelta(days=1)
    return list(reversed(out))


def trend(measure: m.Measure, scope: Scope, periods: list[Period]) -> Figure:
    """A count measure by quarter: one table, periods as rows, so the range total is the total
    row and no quarter can be worked out from the range total and the other quarters."""
    counts = []
    for p in periods:
        qs, _fields, _column = _population(measure.population, scope, p)
        counts.append([qs.order_by().values("pk").distinct().count()])
    rows = [p.label() for p in periods]
    table = publish(Table.of(rows, ["n"], counts), threshold=threshold())
    return Figure(
        measure,
        Period(periods[0].start, periods[-1].end),
        scope,
        dimension="quarter",
        table=table,
        row_labels=rows,
        column_labels=[_("Count")],
    )
