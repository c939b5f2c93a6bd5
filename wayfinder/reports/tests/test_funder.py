"""Funder reports: mapped through the YAML, suppressed, saved and shown again unchanged."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from wayfinder.reports import actions, funder
from wayfinder.reports import queries as q
from wayfinder.reports.models import ReportRun
from wayfinder.reports.tasks import last_complete_quarter, run_quarterly
from wayfinder.reports.tests.factories import persons

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The sections are read by their English titles, whatever an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def clients(personas):
    lead = personas.survivor.owner_agency
    persons(lead, 12, gender_identity="woman", trafficking_form="labour", birth_year=1990)
    persons(lead, 12, gender_identity="man", trafficking_form="sex", birth_year=1980)
    persons(lead, 3, gender_identity="transgender", trafficking_form="both", birth_year=2015)
    return lead


def _period():
    today = timezone.localdate()
    return q.Period(today - timedelta(days=30), today)


def test_tims_maps_and_suppresses(clients):
    report = funder.run("tims", q.Scope(None), _period())
    body = funder.as_json(report)
    sections = {s["title"]: dict(s["rows"]) for s in body["sections"]}
    assert sections["Clients, total and new"] == {"Total clients": "28", "New clients": "28"}
    gender = sections["Gender"]
    assert gender["Transgender"] == "<11"
    # Alone, the small cell would be the total minus the rest: the smallest other is hidden too.
    assert gender["Male"] == "*" and gender["Female"] == "13"
    assert sections["Adult or minor"]["Minor"] == "<11"


def test_a_corrected_mapping_changes_the_report_without_code(clients, monkeypatch):
    custom = {**funder.mapping(), "tims": {**funder.mapping()["tims"]}}
    custom["tims"]["gender"] = {**custom["tims"]["gender"], "woman": "Women"}
    monkeypatch.setattr(funder, "mapping", lambda: custom)
    body = funder.as_json(funder.run("tims", q.Scope(None), _period()))
    gender = dict(next(s for s in body["sections"] if s["title"] == "Gender")["rows"])
    assert gender["Women"] == "13" and "Female" not in gender


def test_a_saved_run_shows_the_same_figures_later(personas, clients, web):
    run = actions.save_run(
        "tims", scope=q.Scope(None), period=_period(), actor=personas.actor(personas.analyst)
    )
    assert run.definition_version == 1 and run.parameters["start"]
    persons(clients, 30, gender_identity="woman")  # later intakes do not change the saved run
    page = web(personas.analyst).get(f"/reports/runs/{run.pk}/").content.decode()
    assert 'data-figure="funder-1-total">56<' in page


def test_the_scheduled_task_saves_last_quarter(clients):
    result = run_quarterly.call("tims")
    run = ReportRun.objects.get(pk=result)
    assert run.scheduled and run.created_by is None
    assert run.parameters["end"] == last_complete_quarter(timezone.localdate()).end.isoformat()


def test_last_complete_quarter():
    assert last_complete_quarter(date(2026, 12, 5)) == q.Period(date(2026, 7, 1), date(2026, 9, 30))
    assert last_complete_quarter(date(2026, 1, 2)) == q.Period(
        date(2025, 10, 1), date(2025, 12, 31)
    )
