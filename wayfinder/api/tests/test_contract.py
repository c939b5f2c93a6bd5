"""The OpenAPI document is a contract that holds: a bounded schemathesis run finds 0 failures."""

from __future__ import annotations

import os
import time
from datetime import date

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.pytest.lazy import get_all_tests

SEED = 20261204
# The coverage phase (boundary values of every field: ~1,500 more requests, about 2 minutes)
# runs with WAYFINDER_CONTRACT_COVERAGE=1; the suite runs the examples and fuzzing phases.
COVERAGE = os.environ.get("WAYFINDER_CONTRACT_COVERAGE", "") == "1"


def _past_dates():
    """The "past-date" format of the document: YYYY-MM-DD from 1900-01-01 to today."""
    from django.utils import timezone

    return st.dates(date(1900, 1, 1), timezone.localdate()).map(date.isoformat)


def _future_dates():
    """The "future-date" format: YYYY-MM-DD from today on."""
    from django.utils import timezone

    today = timezone.localdate()
    return st.dates(today, today.replace(year=today.year + 3)).map(date.isoformat)


schemathesis.openapi.format("past-date", _past_dates())
schemathesis.openapi.format("future-date", _future_dates())

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {"mode": "all", "max-examples": 5},
        "phases": {"coverage": {"enabled": COVERAGE}},
    }
)


@pytest.fixture
def wsgi_app():
    """The whole Django application, called in this thread and inside the test's transaction.

    As Django's test client does, the request signals must not close the database connection
    (that would end the test's transaction on PostgreSQL).
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_every_operation_keeps_the_contract(personas, issue_token, wsgi_app):
    _run(CONFIG, issue_token(personas.navigator_a), wsgi_app)


def _run(config, token, app):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app, config=config)

    def check(case):
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"})

    failures = []
    started = time.monotonic()
    count = 0
    for result in get_all_tests(
        schema=schema,
        test_func=check,
        settings=settings(deadline=None, suppress_health_check=list(HealthCheck), database=None),
        given_kwargs={},
    ):
        operation, test = result.ok()
        count += 1
        try:
            test()
        except (Exception, BaseExceptionGroup) as exc:  # reported with all the others
            failures.append(f"{operation.label}: {exc}")
    print(f"{count} operations in {time.monotonic() - started:.1f}s")
    assert not failures, "\n\n".join(failures)


def test_operations_on_real_records_keep_the_contract(personas, issue_token, wsgi_app):
    """The same run with every id in a path naming a real record of the caller's agency, so
    that valid requests reach the actions' own rules (not only the gate's 404)."""
    from wayfinder.assessments import actions as assessments
    from wayfinder.consent.tests.factories import consent
    from wayfinder.plans.tests.factories import goal, step
    from wayfinder.referrals.actions import ReferralRequest, create_referral
    from wayfinder.referrals.tests.factories import link, listing, referral_consent

    nav = personas.actor(personas.navigator_a)
    person = personas.survivor
    g = goal(personas)
    s = step(personas, g)
    service = listing("org-justice", "Justice Bridge Legal Aid", ["legal_civil"])
    link(personas, personas.legal, service)
    referral_consent(personas, personas.legal, ["identity", "legal", "needs"])
    referral = create_referral(
        person, ReferralRequest(service=service, note="Spanish speaker."), actor=nav
    )
    shared = consent(personas, personas.housing, ["identity"])
    session = assessments.start_session(
        person,
        actor=nav,
        instrument_id="needs_assessment",
        mode="in_person",
        language="es",
        interpreter_used="no",
    )
    # A case review chaired by the caller's agency, with the survivor on its agenda.
    from datetime import UTC, datetime

    from wayfinder.conferences import actions as conferences

    series = conferences.create_series(
        actor=nav,
        name="Case review",
        type="case_review",
        rrule="FREQ=WEEKLY",
        starts_at=datetime(2030, 1, 1, 15, tzinfo=UTC),
        place="Room 1",
        attendees=[personas.lawyer_b],
    )
    conf_meeting = conferences.schedule_next_meeting(series, actor=nav)
    conf_item = conferences.add_item(conf_meeting, actor=nav, person=person)
    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {"mode": "all", "max-examples": 5},
            "phases": {"coverage": {"enabled": COVERAGE}},
            "parameters": {
                "path.series_id": str(series.pk),
                "path.meeting_id": str(conf_meeting.pk),
                "path.item_id": str(conf_item.pk),
                "path.person_id": str(person.pk),
                "path.goal_id": str(g.pk),
                "path.step_id": str(s.pk),
                "path.referral_id": str(referral.pk),
                "path.consent_id": str(shared.pk),
                "path.session_id": str(session.pk),
                "path.instrument_id": "needs_assessment",
            },
        }
    )
    _run(config, issue_token(personas.navigator_a), wsgi_app)
    # The conference writes reached the real records (the next meeting was scheduled).
    assert series.meetings.count() > 1
