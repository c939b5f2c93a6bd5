"""Helpers for assessment tests: start, answer and finish sessions through the real actions."""

from datetime import date

import pytest

from wayfinder.assessments import testing


@pytest.fixture
def run_session(personas, nav):
    """``run_session(instrument_id, answers, on=date, complete=True)`` -> Session."""

    def run(instrument_id, answers, *, on: date | None = None, complete=True, person=None):
        return testing.run_session(
            person or personas.survivor, nav, instrument_id, answers, on=on, complete=complete
        )

    return run
