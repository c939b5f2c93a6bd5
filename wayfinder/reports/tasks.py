"""Scheduled report runs (django-tasks): the last complete quarter's funder snapshot."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django_tasks import task

from wayfinder.reports import actions
from wayfinder.reports import queries as q


def last_complete_quarter(today: date) -> q.Period:
    return q.quarter_of(q.quarter_of(today).start - timedelta(days=1))


@task()
def run_quarterly(definition: str = "tims") -> str:
    """Save the network's run of ``definition`` for the last complete quarter (its id)."""
    period = last_complete_quarter(timezone.localdate())
    run = actions.save_run(definition, scope=q.Scope(None), period=period)
    return str(run.pk)
