"""The reports app's one write: saving a report run (with its audit event)."""

from __future__ import annotations

from django.db import transaction

from wayfinder.accounts.actor import Actor
from wayfinder.audit.events import record
from wayfinder.reports import funder
from wayfinder.reports import queries as q
from wayfinder.reports.models import ReportRun


@transaction.atomic
def save_run(
    name: str, *, scope: q.Scope, period: q.Period, actor: Actor | None = None
) -> ReportRun:
    """Run a funder report and keep its published figures, version and parameters."""
    report = funder.run(name, scope, period)
    run = ReportRun.objects.create(
        definition=name,
        definition_version=report.version,
        parameters={
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "agency_id": str(scope.agency.pk) if scope.agency else None,
        },
        result=funder.as_json(report),
        agency=scope.agency,
        created_by=actor.user if actor else None,
        scheduled=actor is None,
    )
    record(
        "reports.run_saved",
        category="reports",
        actor=actor,
        obj=run,
        detail={"definition": name, "version": report.version},
    )
    return run
