"""``/api/v1/reports/``: aggregate figures only, suppression applied (the same as the pages)."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from ninja import Router, Schema

from wayfinder.api.schemas import responses
from wayfinder.reports import funder
from wayfinder.reports import measures as m
from wayfinder.reports import queries as q

router = Router(tags=["reports"])
prefix = "reports"


class ReportCellOut(Schema):
    value: int | None
    display: str
    status: str


class ReportStatOut(Schema):
    label: str
    value: float | None
    display: str
    base: str


class ReportFigureOut(Schema):
    measure: str
    title: str
    population: str
    period_basis: str
    start: date
    end: date
    dimension: str
    rows: list[str]
    columns: list[str]
    grid: list[list[ReportCellOut]]
    stats: list[ReportStatOut]
    network: bool


class ReportMeasureOut(Schema):
    name: str
    title: str
    statistic: str
    dimensions: list[str]


class FunderSectionOut(Schema):
    title: str
    rows: list[list[str]]
    total: str


class FunderReportOut(Schema):
    title: str
    period: list[str]
    sections: list[FunderSectionOut]
    stats: list[dict]


def _scope(request) -> q.Scope:
    scope = q.scope_for(request.actor)
    if scope is None:
        raise Http404
    return scope


def figure_json(figure: q.Figure) -> dict:
    t = figure.table
    return {
        "measure": figure.measure.name,
        "title": figure.title,
        "population": str(figure.measure.population_text),
        "period_basis": str(figure.measure.period_text),
        "start": figure.period.start,
        "end": figure.period.end,
        "dimension": figure.dimension,
        "rows": figure.row_labels,
        "columns": figure.column_labels,
        "grid": (
            [
                [{"value": e.value, "display": e.display, "status": e.status} for e in r]
                for r in t.grid
            ]
            if t
            else []
        ),
        "stats": [
            {"label": s.label, "value": s.value, "display": s.display, "base": s.base}
            for s in figure.stats
        ],
        "network": figure.scope.network,
    }


@router.get("/measures/", response=responses(list[ReportMeasureOut]), summary="The measures")
def list_measures(request):
    _scope(request)
    return [
        {
            "name": x.name,
            "title": str(x.title),
            "statistic": x.statistic,
            "dimensions": list(x.dimensions),
        }
        for x in m.MEASURES
    ]


@router.get(
    "/measures/{name}/",
    response=responses(ReportFigureOut),
    summary="One measure, suppressed (start, end: ISO dates; dimension)",
)
def measure(
    request, name: str, start: date | None = None, end: date | None = None, dimension: str = ""
):
    scope = _scope(request)
    found = m.BY_NAME.get(name)
    if found is None or (dimension and dimension not in found.dimensions):
        raise Http404
    period = _period(start, end)
    return figure_json(q.figure_for(found, scope, period, dimension))


@router.get(
    "/funder/{name}/",
    response=responses(FunderReportOut),
    summary="A funder report (tims | tvap), suppressed",
)
def funder_report(request, name: str, start: date | None = None, end: date | None = None):
    scope = _scope(request)
    if name not in funder.DEFINITIONS:
        raise Http404
    return funder.as_json(funder.run(name, scope, _period(start, end)))


def _period(start: date | None, end: date | None) -> q.Period:
    from wayfinder.reports.views import period_from

    return period_from(
        {"start": start.isoformat() if start else "", "end": end.isoformat() if end else ""}
    )
