"""Test and demo helper: run an assessment through the real actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from wayfinder.assessments import actions
from wayfinder.assessments.models import Session


def run_session(
    person,
    actor,
    instrument_id: str,
    answers: dict[str, Any],
    *,
    on: date | None = None,
    complete: bool = True,
    language: str = "es",
    mode: str = "in_person",
    interpreter_used: str = "no",
    interpreter=None,  # core.interpretation.InterpreterAnswer: who interpreted
) -> Session:
    """Start a session, save ``answers`` (values or ``scoring.DECLINED``), and finish it."""
    session = actions.start_session(
        person,
        actor=actor,
        instrument_id=instrument_id,
        mode=mode,
        language=language,
        interpreter_used=interpreter_used,
        conducted_on=on,
        interpreter=interpreter,
    )
    if answers:
        actions.save_answers(session, actor=actor, answers=answers)
    if complete:
        actions.complete_session(session, actor=actor)
    session.refresh_from_db()
    return session
