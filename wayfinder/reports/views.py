"""The analyst dashboard, exports, funder reports and saved runs. Aggregates only.

No page here reads a person: every number comes from ``queries`` (already suppressed).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wayfinder.audit.events import record
from wayfinder.reports import actions, exports, funder
from wayfinder.reports import measures as m
from wayfinder.reports import queries as q
from wayfinder.reports.charts import trend_chart
from wayfinder.reports.models import ReportRun


def _scope(request) -> q.Scope:
    scope = q.scope_for(request.actor)
    if scope is None:
        raise Http404
    return scope


def _date(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def period_from(params) -> q.Period:
    today = timezone.localdate()
    end = _date(params.get("end"), today)
    start = _date(params.get("start"), end - timedelta(days=364))
    if start > end:
        start, end = end, start
    return q.Period(start, end)


def _dimension(params, measure: m.Measure) -> str:
    wanted = params.get(f"dim_{measure.name}") or measure.default_dimension
    return wanted if wanted in measure.dimensions else measure.default_dimension


@login_required
@require_GET
def dashboard(request):
    scope = _scope(request)
    period = period_from(request.GET)
    tables = []
    for measure in m.COUNT_MEASURES:
        dim = _dimension(request.GET, measure)
        figure = q.count_table(measure, scope, period, dim)
        choices = [
            (d, str(m.DIMENSION_LABELS[d]))
            for d in measure.dimensions
            if d != "agency" or scope.network
        ]
        tables.append({"figure": figure, "choices": choices})
    referrals = q.referral_rows(scope, period)  # read once for the four figures below
    stats = [
        q.referral_stats(m.BY_NAME[name], scope, period, referrals)
        for name in (
            "accepted_48h",
            "survivor_confirmed",
            "days_to_acceptance",
            "days_to_completion",
        )
    ]
    _pf_figure, factor_rows = q.protective_change(scope, period)
    quarters = q.quarters_back(period.end, 8)
    trends = []
    for name in ("persons_served", "services"):
        fig = q.trend(m.BY_NAME[name], scope, quarters)
        trends.append({"figure": fig, "chart": trend_chart(fig, f"trend-{name}")})
    return render(
        request,
        "reports/dashboard.html",
        {
            "scope": scope,
            "period": period,
            "tables": tables,
            "stats": stats,
            "factor_rows": factor_rows,
            "trends": trends,
            "threshold": q.threshold(),
            "query": request.GET.urlencode(),
            "definitions": funder.DEFINITIONS,
            "runs": ReportRun.objects.filter(agency=scope.agency)[:10],
        },
    )


@login_required
@require_GET
def export(request, measure, fmt):
    scope = _scope(request)
    found = m.BY_NAME.get(measure)
    if found is None or fmt not in ("csv", "xlsx"):
        raise Http404
    figure = q.figure_for(found, scope, period_from(request.GET), _dimension(request.GET, found))
    record(
        "reports.exported",
        category="reports",
        actor=request.actor,
        detail={"measure": measure, "format": fmt, "dimension": figure.dimension},
    )
    name = f"{measure}-{figure.period.start.isoformat()}-{figure.period.end.isoformat()}"
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(figure), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.to_xlsx(figure),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def funder_report(request):
    scope = _scope(request)
    params = request.POST if request.method == "POST" else request.GET
    name = params.get("report", "tims")
    if name not in funder.DEFINITIONS:
        raise Http404
    period = period_from(params) if params.get("start") else q.quarter_of(timezone.localdate())
    if request.method == "POST":
        run = actions.save_run(name, scope=scope, period=period, actor=request.actor)
        return redirect("reports:run", run_id=run.pk)
    report = funder.run(name, scope, period)
    return render(
        request,
        "reports/funder.html",
        {"report": report, "body": funder.as_json(report), "name": name, "period": period},
    )


@login_required
@require_GET
def run_detail(request, run_id):
    scope = _scope(request)
    run = get_object_or_404(ReportRun, pk=run_id, agency=scope.agency)
    return render(request, "reports/run.html", {"run": run, "title": _("Saved report run")})
