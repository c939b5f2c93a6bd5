"""Helpers for assessment tests: start, answer and finish sessions through the real actions."""

from datetime import date

import pytest

from wayfinder.assessments import actions


@pytest.fixture
def nav(personas):
    """The lead agency's navigator, who owns ``personas.survivor``."""
    return personas.actor(personas.navigator_a)


@pytest.fixture
def run_session(personas, nav):
    """``run_session(instrument_id, answers, on=date, complete=True)`` -> Session."""

    def run(instrument_id, answers, *, on: date | None = None, complete=True, person=None):
        session = actions.start_session(
            person or personas.survivor,
            actor=nav,
            instrument_id=instrument_id,
            mode="in_person",
            language="es",
            interpreter_used="no",
            conducted_on=on,
        )
        if answers:
            actions.save_answers(session, actor=nav, answers=answers)
        if complete:
            actions.complete_session(session, actor=nav)
        session.refresh_from_db()
        return session

    return run
