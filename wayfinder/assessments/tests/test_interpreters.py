"""Who interpreted, on the assessment start (issue 17, item 4), and the counts for the reports."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from wayfinder.assessments import actions, queries
from wayfinder.assessments.models import Session
from wayfinder.audit.models import AuditEvent
from wayfinder.core.interpretation import InterpreterAnswer
from wayfinder.people.models import Person


@pytest.fixture
def navigator(personas, web):
    return web(personas.navigator_a)


def needs_vietnamese_interpreter(person):
    Person.objects.filter(pk=person.pk).update(
        preferred_languages=["vie"], interpreter_needed="yes"
    )


def start_data(**extra):
    return {
        "instrument": "needs_assessment",
        "language": "en",
        "mode": "in_person",
        "conducted_on": timezone.localdate().isoformat(),
        **extra,
    }


def test_the_start_asks_who_interpreted_only_when_it_applies(personas, navigator):
    person = personas.survivor  # Spanish and English: the English-speaking staff need no one
    url = reverse("assessments:start", args=[person.pk])
    assert "Who interpreted?" not in navigator.get(url).content.decode()
    needs_vietnamese_interpreter(person)
    html = navigator.get(url).content.decode()
    assert "Who interpreted?" in html
    assert 'id="interpreter-step"' in html
    assert '<option value="vie" selected>' in html  # the person's language comes first
    response = navigator.post(url, start_data())  # the step is required when it applies
    assert response.status_code == 200 and not Session.objects.exists()


def test_a_phone_interpreter_is_recorded_with_the_session_and_its_audit_event(personas, navigator):
    person = personas.survivor
    needs_vietnamese_interpreter(person)
    response = navigator.post(
        reverse("assessments:start", args=[person.pk]),
        start_data(
            interpretation="interpreted",
            interpreter_mode="phone",
            interpreter_language="vie",
            interpreter_provider="other",
            interpreter_provider_name="County Language Line",
        ),
    )
    assert response.status_code == 302
    session = Session.objects.get(person=person)
    assert (session.interpretation, session.interpreter_mode, session.interpreter_language) == (
        "interpreted",
        "phone",
        "vie",
    )
    assert session.interpreter_provider_name == "County Language Line"
    assert session.interpreter_used == "yes"  # the summary older readers use
    event = AuditEvent.objects.get(action="assessment.start")
    assert event.detail["interpretation"] == "interpreted"
    assert event.detail["interpreter_mode"] == "phone"
    assert "County" not in str(event.detail)
    detail = navigator.get(reverse("assessments:detail", args=[session.pk])).content.decode()
    assert "By phone · Vietnamese · County Language Line" in detail


def test_an_invalid_answer_saves_nothing(personas, nav):
    needs_vietnamese_interpreter(personas.survivor)
    with pytest.raises(ValidationError):
        actions.start_session(
            personas.survivor,
            actor=nav,
            instrument_id="needs_assessment",
            mode="in_person",
            language="en",
            interpreter=InterpreterAnswer("interpreted", "phone", "vie", "service:missing"),
        )
    assert not Session.objects.exists()
    assert not AuditEvent.objects.filter(action="assessment.start").exists()


def test_declined_is_an_answer_and_sets_the_summary_to_no(personas, nav):
    session = actions.start_session(
        personas.survivor,
        actor=nav,
        instrument_id="needs_assessment",
        mode="in_person",
        language="es",
        interpreter=InterpreterAnswer("declined"),
    )
    assert (session.interpretation, session.interpreter_used) == ("declined", "no")


def test_counts_by_language_interpreter_and_mode(personas, nav):
    today = timezone.localdate()

    def start(language, answer=None, interpreter_used="no", on=today):
        return actions.start_session(
            personas.survivor,
            actor=nav,
            instrument_id="needs_assessment",
            mode="in_person",
            language=language,
            interpreter_used=interpreter_used,
            interpreter=answer,
            conducted_on=on,
        )

    phone = InterpreterAnswer("interpreted", "phone", "vie", "other", "Language Line")
    video = InterpreterAnswer("interpreted", "video", "vie", "other", "Language Line")
    start("en", phone)
    start("en", phone)
    start("en", video)
    start("es", InterpreterAnswer("not_needed"))
    start("es")  # not asked
    start("en", InterpreterAnswer("declined"))
    start("en", phone, on=today - timedelta(days=200))  # outside the range
    counts = {
        c.language: c
        for c in queries.interpreter_counts(
            start=today - timedelta(days=30), end=today, agency=personas.lead
        )
    }
    assert set(counts) == {"vie", "spa", "eng"}
    vie = counts["vie"]
    assert (vie.total, vie.interpreted, vie.by_mode) == (3, 3, {"phone": 2, "video": 1})
    assert (counts["spa"].total, counts["spa"].not_needed, counts["spa"].not_asked) == (2, 1, 1)
    assert counts["eng"].declined == 1
    assert queries.interpreter_counts(start=today, end=today, agency=personas.legal) == []


def test_the_overview_shows_the_counts(personas, nav, navigator):
    actions.start_session(
        personas.survivor,
        actor=nav,
        instrument_id="needs_assessment",
        mode="in_person",
        language="en",
        interpreter=InterpreterAnswer("interpreted", "phone", "vie", "other", "Language Line"),
    )
    html = navigator.get(reverse("assessments:index")).content.decode()
    assert 'id="language-counts"' in html
    assert "Vietnamese" in html and "0 / 1 / 0" in html
