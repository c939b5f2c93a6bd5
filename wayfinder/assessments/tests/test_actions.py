"""Sessions, answers, completion and needs, through the actions (each audited, all or nothing)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections
from django.utils import timezone

from wayfinder.assessments import actions, instruments
from wayfinder.assessments.models import Answer, Need, NeedStatus, Score, SessionStatus
from wayfinder.assessments.queries import stored_answers
from wayfinder.assessments.scoring import DECLINED
from wayfinder.audit.models import AuditEvent


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def test_start_records_instrument_version_mode_language_and_interpreter(personas, nav):
    session = actions.start_session(
        personas.survivor,
        actor=nav,
        instrument_id="needs_assessment",
        mode="phone",
        language="es",
        interpreter_used="yes",
    )
    assert (session.instrument_id, session.instrument_version) == ("needs_assessment", 2)
    assert (session.mode, session.language, session.interpreter_used) == ("phone", "es", "yes")
    assert session.status == SessionStatus.IN_PROGRESS and session.previous is None
    (event,) = events("assessment.start")
    assert event.category == "assessments" and event.person_pseudonym == personas.survivor.pseudonym
    assert event.detail == {
        "instrument": "needs_assessment@2",
        "mode": "phone",
        "language": "es",
        "reassessment": False,
    }


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("instrument_id", "tarot", "unknown_instrument"),
        ("language", "fr", "unknown_language"),
        ("mode", "telepathy", "invalid_mode"),
        ("interpreter_used", "maybe", "invalid_interpreter"),
        ("conducted_on", timezone.localdate() + timedelta(days=2), "invalid_date"),
    ],
)
def test_start_rejects_bad_input_with_a_code(personas, nav, field, value, code):
    kwargs = {
        "instrument_id": "needs_assessment",
        "mode": "in_person",
        "language": "en",
        "interpreter_used": "no",
        field: value,
    }
    with pytest.raises(ValidationError) as exc:
        actions.start_session(personas.survivor, actor=nav, **kwargs)
    assert exc.value.code == code


def test_a_switched_off_instrument_cannot_be_started(personas, nav, settings):
    settings.WAYFINDER_ASSESSMENTS_DISABLED = "brief_resilience_scale"
    with pytest.raises(ValidationError) as exc:
        actions.start_session(
            personas.survivor,
            actor=nav,
            instrument_id="brief_resilience_scale",
            mode="in_person",
            language="en",
            interpreter_used="no",
        )
    assert exc.value.code == "unknown_instrument"


def test_only_the_owning_agency_writes(personas, run_session):
    session = run_session("brief_resilience_scale", {}, complete=False)
    for user in (personas.lawyer_b, personas.outsider_c, personas.analyst):
        actor = personas.actor(user)
        with pytest.raises(PermissionDenied):
            actions.save_answers(session, actor=actor, answers={"brs_1": 3})
        with pytest.raises(PermissionDenied):
            actions.add_need(personas.survivor, actor=actor, category="housing", urgency="low")


def test_partial_saves_declined_is_distinct_from_unanswered(personas, nav, run_session):
    session = run_session("brief_resilience_scale", {"brs_1": 4}, complete=False)
    actions.save_answers(session, actor=nav, answers={"brs_2": DECLINED, "brs_3": "5"})
    rows = {a.item_id: a for a in Answer.objects.filter(session=session)}
    assert set(rows) == {"brs_1", "brs_2", "brs_3"}
    assert rows["brs_2"].declined and rows["brs_2"].value is None
    assert rows["brs_3"].value == 5 and not rows["brs_3"].declined
    # clearing an answer makes it unanswered again (no row), not declined
    actions.save_answers(session, actor=nav, answers={"brs_1": None})
    assert not Answer.objects.filter(session=session, item_id="brs_1").exists()


def test_invalid_answers_save_nothing(personas, nav, run_session):
    session = run_session("brief_resilience_scale", {}, complete=False)
    with pytest.raises(actions.AnswersInvalid) as exc:
        actions.save_answers(session, actor=nav, answers={"brs_1": 4, "brs_2": 9, "nope": 1})
    assert {k: e.code for k, e in exc.value.errors.items()} == {
        "brs_2": "out_of_range",
        "nope": "unknown_item",
    }
    assert not Answer.objects.filter(session=session).exists()
    assert not events("assessment.answer")


def test_free_text_is_sealed_and_coded_answers_are_plain(personas, nav, run_session):
    session = run_session(
        "needs_assessment",
        {"culture_important": "yes", "culture_notes": "Pray at noon, Tzotzil speaker"},
        complete=False,
    )
    with connections["default"].cursor() as cur:
        cur.execute("SELECT value, text_ct FROM assessments_answer")
        raw = repr(cur.fetchall())
    assert "Tzotzil" not in raw and "Pray" not in raw
    assert '"yes"' in raw or "'yes'" in raw
    assert stored_answers(session)["culture_notes"].value == "Pray at noon, Tzotzil speaker"
    (event,) = events("assessment.answer")
    assert "Tzotzil" not in repr(event.detail)
    assert event.detail["items"] == ["culture_important", "culture_notes"]
    assert event.categories == ["assessments", "demographics"]


def test_complete_stores_scores_and_counts_declined_separately(personas, nav, run_session):
    # brs: 4, declined, 4, (6-2)=4, 3, unanswered -> 15 / 4 = 3.75
    session = run_session(
        "brief_resilience_scale",
        {"brs_1": 4, "brs_2": DECLINED, "brs_3": 4, "brs_4": 2, "brs_5": 3},
    )
    score = Score.objects.get(session=session, score_id="brs")
    assert (score.value, score.answered, score.declined, score.missing) == (3.75, 4, 1, 1)
    assert session.status == SessionStatus.COMPLETED and session.completed_at is not None
    (event,) = events("assessment.complete")
    assert event.detail["answered"] == 4 and event.detail["declined"] == 1
    assert event.categories == ["assessments", "health", "needs"]


def test_complete_derives_needs_with_their_source(personas, nav, run_session):
    session = run_session(
        "needs_assessment",
        {"sleep_tonight": "no_place", "housing_help": "yes", "thoughts_of_harm": DECLINED},
    )
    needs = {n.category: n for n in Need.objects.filter(person=personas.survivor)}
    assert set(needs) == {"emergency_shelter", "housing"}
    shelter = needs["emergency_shelter"]
    assert (shelter.urgency, shelter.status) == ("immediate", NeedStatus.OPEN)
    assert (shelter.source_session, shelter.source_item) == (session, "sleep_tonight")
    assert needs["housing"].source_item == "housing_help" and needs["housing"].urgency == "medium"


def test_an_open_need_is_not_duplicated_but_can_become_more_urgent(personas, nav, run_session):
    run_session("needs_assessment", {"housing_help": "yes"})  # housing, medium
    first = Need.objects.get(person=personas.survivor, category="housing")
    run_session("needs_assessment", {"sleep_tonight": "employer_housing"})  # housing, high
    assert Need.objects.filter(person=personas.survivor, category="housing").count() == 1
    first.refresh_from_db()
    assert first.urgency == "high"
    # a met need does not block a new one
    actions.update_need(first, actor=nav, status=NeedStatus.MET)
    run_session("needs_assessment", {"housing_help": "yes"})
    assert Need.objects.filter(person=personas.survivor, category="housing").count() == 2


def test_answers_to_questions_no_longer_shown_are_dropped_on_completion(personas, nav, run_session):
    session = run_session("needs_assessment", {"sleep_tonight": "own_place"}, complete=False)
    actions.save_answers(session, actor=nav, answers={"housing_stable": "no"})
    actions.save_answers(session, actor=nav, answers={"sleep_tonight": "no_place"})
    done = actions.complete_session(session, actor=nav)
    assert not Answer.objects.filter(session=session, item_id="housing_stable").exists()
    assert [n.category for n in done.needs_created] == ["emergency_shelter"]


def test_a_finished_session_cannot_change(personas, nav, run_session):
    session = run_session("brief_resilience_scale", {"brs_1": 3})
    with pytest.raises(actions.SessionClosed):
        actions.save_answers(session, actor=nav, answers={"brs_1": 4})
    with pytest.raises(actions.SessionClosed):
        actions.complete_session(session, actor=nav)


def test_reassessment_links_the_previous_session(personas, run_session):
    first = run_session("brief_resilience_scale", {"brs_1": 2}, on=date(2026, 1, 10))
    second = run_session("brief_resilience_scale", {"brs_1": 4}, on=date(2026, 4, 10))
    assert second.previous == first


def test_a_new_instrument_version_does_not_change_past_sessions(
    personas, nav, run_session, monkeypatch
):
    past = run_session("brief_resilience_scale", {"brs_1": 5, "brs_2": 1})
    v1 = instruments.get_instrument("brief_resilience_scale", 1)
    v2 = instruments.parse_instrument(
        {
            "id": "brief_resilience_scale",
            "version": 2,
            "kind": "resilience",
            "languages": ["en", "es"],
            "title": {"en": "BRS two", "es": "BRS dos"},
            "scales": {"s": {1: {"en": "1", "es": "1"}, 2: {"en": "2", "es": "2"}}},
            "sections": [
                {
                    "id": "only",
                    "title": {"en": "Only", "es": "Sólo"},
                    "items": [
                        {
                            "id": "new_item",
                            "type": "scale",
                            "scale": "s",
                            "text": {"en": "N", "es": "N"},
                        }
                    ],
                }
            ],
        },
        "brief_resilience_scale/v2.yaml",
    )
    reg = dict(instruments.registry())
    reg[("brief_resilience_scale", 2)] = v2
    monkeypatch.setattr(instruments, "registry", lambda: reg)
    assert instruments.get_instrument("brief_resilience_scale").version == 2
    past.refresh_from_db()
    assert past.instrument is v1 and past.instrument.item("brs_1")
    new = run_session("brief_resilience_scale", {"new_item": 2}, complete=False)
    assert new.instrument_version == 2


def test_needs_by_hand_are_added_edited_and_closed(personas, nav):
    with time_machine.travel("2026-03-01 10:00:00+00:00", tick=False):
        need = actions.add_need(
            personas.survivor,
            actor=nav,
            category="legal_civil",
            urgency="low",
            note="Landlord issue",
        )
    assert need.added_by_staff and need.source_item == ""
    assert b"Landlord" not in bytes(need.note_ct)
    need = actions.update_need(need, actor=nav, urgency="high", status=NeedStatus.IN_PROGRESS)
    assert need.closed_at is None and need.urgency == "high"
    with time_machine.travel("2026-03-05 10:00:00+00:00", tick=False):
        need = actions.update_need(need, actor=nav, status=NeedStatus.DECLINED)
    assert need.closed_at.isoformat().startswith("2026-03-05")
    need = actions.update_need(need, actor=nav, status=NeedStatus.OPEN)
    assert need.closed_at is None
    create, *updates = [e for e in AuditEvent.objects.filter(category="needs").order_by("seq")]
    assert create.action == "need.create" and create.categories == ["legal", "needs"]
    assert "Landlord" not in repr(create.detail)
    assert [u.detail["status"] for u in updates] == ["in_progress", "declined", "open"]
    with pytest.raises(ValidationError):
        actions.update_need(need, actor=nav, status="vanished")


def test_stop_session_ends_without_scores_or_needs(personas, nav, run_session):
    session = run_session("needs_assessment", {"sleep_tonight": "no_place"}, complete=False)
    actions.stop_session(session, actor=nav)
    session.refresh_from_db()
    assert session.status == SessionStatus.STOPPED
    assert not Need.objects.exists() and not Score.objects.filter(session=session).exists()
