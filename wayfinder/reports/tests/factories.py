"""Report test data: plain rows (reports only count; they never read identities)."""

from __future__ import annotations

from datetime import date

from wayfinder.assessments.models import Answer, Score, Session, SessionStatus
from wayfinder.people.models import Person


def persons(agency, n: int, **plain) -> list[Person]:
    return [Person.objects.create(owner_agency=agency, **plain) for _ in range(n)]


def session(person, on: date, *, kind="resilience", brs=None, answers=None) -> Session:
    s = Session.objects.create(
        person=person,
        agency=person.owner_agency,
        instrument_id="brief_resilience_scale" if kind == "resilience" else "protective_factors",
        instrument_version=1,
        kind=kind,
        status=SessionStatus.COMPLETED,
        mode="in_person",
        language="eng",
        conducted_on=on,
    )
    if brs is not None:
        Score.objects.create(session=s, score_id="brs", value=brs)
    for item, value in (answers or {}).items():
        Answer.objects.create(session=s, item_id=item, value=value)
    return s
