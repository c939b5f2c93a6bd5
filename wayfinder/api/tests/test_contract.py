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


schemathesis.openapi.format("past-date", _past_dates())

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
    token = issue_token(personas.navigator_a)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app, config=CONFIG)

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
        except Exception as exc:  # one operation's failures, reported with all the others
            failures.append(f"{operation.label}: {exc}")
    print(f"{count} operations in {time.monotonic() - started:.1f}s")
    assert not failures, "\n\n".join(failures)
