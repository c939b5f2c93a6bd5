"""Check-ins: the person completes a self-report instrument their navigator opened; the scores
join the trajectories, marked as completed by the person."""

from __future__ import annotations

import pytest
from django.test import Client

from wayfinder.assessments.actions import start_session
from wayfinder.assessments.models import Answer, Session, SessionStatus
from wayfinder.audit.models import AuditEvent
from wayfinder.portal.tests.factories import account, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(personas):
    acc, _codes = account(personas)
    return sign_in(Client(), acc)


def opened(personas, nav, instrument_id="brief_resilience_scale", mode="self"):
    return start_session(
        personas.survivor,
        actor=nav,
        instrument_id=instrument_id,
        mode=mode,
        language="en",
        interpreter_used="no",
    )


def test_only_self_mode_self_report_sessions_are_offered(personas, me, nav):
    staff_led = opened(personas, nav, mode="in_person")
    needs = opened(personas, nav, instrument_id="needs_assessment")
    page = me.get("/my/checkins/").content.decode()
    assert "Nothing to answer now." in page
    assert me.get(f"/my/checkins/{staff_led.pk}/1/").status_code == 404
    assert me.get(f"/my/checkins/{needs.pk}/1/").status_code == 404


def test_the_person_completes_the_resilience_scale(personas, me, nav, web):
    session = opened(personas, nav)
    page = me.get("/my/checkins/").content.decode()
    assert f"/my/checkins/{session.pk}/1/" in page
    instrument = session.instrument
    for index, section in enumerate(instrument.sections, start=1):
        data = {}
        for item in section.items:
            data[f"a-{item.id}"] = str(item.options[0].value) if item.options else "3"
        r = me.post(f"/my/checkins/{session.pk}/{index}/", {**data, "nav": "next"})
        assert r.status_code == 302, r.content[:500]
    assert r["Location"] == "/my/checkins/?done=1"
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED and session.completed_by is None
    assert session.scores.exists()
    assert Answer.objects.filter(session=session, by_person=False).count() == 0
    ev = AuditEvent.objects.filter(action="assessment.answer").latest("seq")
    assert ev.detail["by_person"] is True and ev.via == "portal"
    # The score joins the trajectory, marked as the person's own.
    page = web(personas.navigator_a).get(f"/assessments/person/{personas.survivor.pk}/trajectory/")
    assert 'class="badge by-person">by the person<' in page.content.decode()


def test_another_persons_session_is_not_found(personas, me, nav):
    from wayfinder.portal.tests.test_pages import _other_person

    other = _other_person(personas)
    s = start_session(other, actor=nav, instrument_id="brief_resilience_scale", mode="self",
                      language="en", interpreter_used="no")  # fmt: skip
    assert me.get(f"/my/checkins/{s.pk}/1/").status_code == 404
    assert Session.objects.get(pk=s.pk).status == SessionStatus.IN_PROGRESS
