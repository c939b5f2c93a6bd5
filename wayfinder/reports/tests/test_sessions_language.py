"""Assessments by the language spoken and whether an interpreter took part (issue 17, item 4)."""

from __future__ import annotations

from datetime import date

import pytest

from wayfinder.assessments.models import Session, SessionStatus
from wayfinder.reports import measures as m
from wayfinder.reports import queries as q

from .factories import persons

pytestmark = pytest.mark.django_db

PERIOD = q.Period(date(2026, 1, 1), date(2026, 3, 31))


def sessions(agency, n, *, language, interpretation="", interpreter_language="", on=None):
    for person in persons(agency, n):
        Session.objects.create(
            person=person,
            agency=agency,
            instrument_id="needs_assessment",
            instrument_version=2,
            kind="needs",
            status=SessionStatus.COMPLETED,
            mode="in_person",
            language=language,
            conducted_on=on or date(2026, 2, 10),
            interpretation=interpretation,
            interpreter_language=interpreter_language,
            interpreter_mode="phone" if interpretation == "interpreted" else "",
        )


def test_sessions_by_spoken_language_and_interpreter(personas):
    lead = personas.lead
    # Vietnamese through a phone interpreter, questions shown in English: counted as Vietnamese.
    sessions(lead, 12, language="en", interpretation="interpreted", interpreter_language="vie")
    # Spanish, no interpreter needed: the UI code "es" is counted as Spanish ("spa").
    sessions(lead, 15, language="es", interpretation="not_needed")
    sessions(lead, 11, language="es")  # the question was not asked
    sessions(lead, 3, language="es", on=date(2025, 12, 31))  # before the period: not counted
    figure = q.count_table(m.BY_NAME["sessions_language"], q.Scope(None), PERIOD, "language")
    table = figure.table
    rows = dict(zip(table.rows, table.cells, strict=True))
    cols = table.columns
    vie = {c: cell.display for c, cell in zip(cols, rows["vie"], strict=True)}
    spa = {c: cell.display for c, cell in zip(cols, rows["spa"], strict=True)}
    assert vie["interpreted"] == "12" and vie["not_needed"] == "0"
    assert spa["not_needed"] == "15" and spa[""] == "11"
    assert table.total.display == "38"
    assert "Vietnamese" in figure.row_labels and "Spanish" in figure.row_labels


def test_a_small_language_is_suppressed(personas):
    lead = personas.lead
    sessions(lead, 3, language="en", interpretation="interpreted", interpreter_language="kor")
    sessions(lead, 12, language="ko", interpretation="not_needed")
    sessions(lead, 20, language="en", interpretation="interpreted", interpreter_language="vie")
    sessions(lead, 15, language="vi", interpretation="not_needed")
    sessions(lead, 14, language="en", interpretation="interpreted", interpreter_language="spa")
    sessions(lead, 30, language="es", interpretation="not_needed")
    figure = q.count_table(m.BY_NAME["sessions_language"], q.Scope(None), PERIOD, "language")
    assert not figure.table.withheld
    shown = [cell.display for row in figure.table.cells for cell in row]
    assert "3" not in shown and "<11" in shown and "*" in shown  # and a complement beside it


def test_one_small_language_beside_one_other_withholds_the_table(personas):
    """Two languages, one small: the other's row total and the grand total would give the small
    one back, and the totals are published by every breakdown, so only the grand total shows."""
    sessions(
        personas.lead, 3, language="en", interpretation="interpreted", interpreter_language="kor"
    )
    sessions(personas.lead, 30, language="es", interpretation="not_needed")
    figure = q.count_table(m.BY_NAME["sessions_language"], q.Scope(None), PERIOD, "language")
    assert figure.table.withheld and figure.table.total.display == "33"
