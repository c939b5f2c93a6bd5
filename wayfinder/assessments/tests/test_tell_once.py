"""Tell it once: answers that belong on the record are offered at hand-back, item by item, and
accepting one changes the record (audited, through people's update action); the same question
in two instruments takes the other's answer as its default within one visit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from wayfinder.assessments import actions, tell_once
from wayfinder.assessments.instruments import InstrumentError, parse_instrument
from wayfinder.audit.models import AuditEvent
from wayfinder.people.sealing import identity_of

RECORD_ANSWERS = {
    "preferred_language": "por",
    "wants_interpreter": "yes",
    "culture_important": "yes",
    "culture_notes": "I pray at noon; no appointments on Fridays.",
    "faith_services": "secular",
    "staff_gender": "women",
    "safe_contact": "through_agency",
}


def offers_of(session):
    return {o.item_id: o for o in tell_once.record_offers(session)}


def test_answers_that_differ_from_the_record_are_offered(personas, run_session):
    session = run_session("needs_assessment", RECORD_ANSWERS, complete=False)
    offers = offers_of(session)
    # The survivor's record: Spanish then English, contact by text, nothing else.
    assert set(offers) == set(RECORD_ANSWERS) - {"culture_important"}
    assert offers["preferred_language"].value == ["por", "spa", "eng"]
    assert offers["preferred_language"].current == "Spanish, English"
    assert offers["safe_contact"].value == "through_agency"
    assert offers["safe_contact"].current == "Text message"
    assert offers["staff_gender"].current == ""


def test_what_the_record_already_says_is_not_offered(personas, run_session):
    session = run_session(
        "needs_assessment",
        {"preferred_language": "spa", "safe_contact": "text"},
        complete=False,
    )
    assert offers_of(session) == {}


def test_declined_and_other_are_never_offered(personas, run_session):
    from wayfinder.assessments.scoring import DECLINED

    session = run_session(
        "needs_assessment",
        {"preferred_language": "other", "staff_gender": DECLINED},
        complete=False,
    )
    assert offers_of(session) == {}


def test_accepting_some_items_changes_only_those_and_is_audited(personas, nav, run_session):
    session = run_session("needs_assessment", RECORD_ANSWERS)
    fields = actions.update_record_from_answers(
        session, ["staff_gender", "culture_notes", "not_an_item"], actor=nav
    )
    assert fields == ["cultural_considerations", "staff_gender_preference"]
    person = personas.survivor
    person.refresh_from_db()
    assert person.staff_gender_preference == "women"
    assert person.faith_preference == ""  # not chosen
    assert person.safe_contact_method == "text"
    assert identity_of(person).cultural_considerations.startswith("I pray at noon")
    event = AuditEvent.objects.get(action="assessment.record_update")
    assert event.detail == {
        "items": ["culture_notes", "staff_gender"],
        "fields": ["cultural_considerations", "staff_gender_preference"],
    }
    assert "pray" not in str(event.detail)
    update = AuditEvent.objects.filter(action="person.update").latest("seq")
    assert sorted(update.detail["fields"]) == ["cultural_considerations", "staff_gender_preference"]
    # Once on the record, it is not offered again.
    session.person.refresh_from_db()
    assert set(offers_of(session)) == set(RECORD_ANSWERS) - {
        "culture_important",
        "culture_notes",
        "staff_gender",
    }


def test_only_the_owning_agencys_casework_staff_may_update(personas, run_session):
    session = run_session("needs_assessment", RECORD_ANSWERS)
    with pytest.raises(PermissionDenied):
        actions.update_record_from_answers(
            session, ["staff_gender"], actor=personas.actor(personas.outsider_c)
        )
    personas.survivor.refresh_from_db()
    assert personas.survivor.staff_gender_preference == ""


def test_matching_uses_what_went_on_the_record(personas, nav, run_session):
    from wayfinder.access.gate import get_access
    from wayfinder.matching.queries import person_profile

    session = run_session("needs_assessment", RECORD_ANSWERS)
    actions.update_record_from_answers(
        session, ["staff_gender", "faith_services", "preferred_language"], actor=nav
    )
    profile, *_ = person_profile(get_access(nav, personas.survivor.pk), {"housing"})
    assert profile.staff_gender_preference == "women"
    assert profile.faith_preference == "secular"
    assert profile.languages[:1] == ("por",)


def test_the_review_page_offers_and_the_post_updates(personas, run_session, web):
    session = run_session("needs_assessment", RECORD_ANSWERS, complete=False)
    client = web(personas.navigator_a)
    page = client.get(f"/assessments/session/{session.pk}/review/").content.decode()
    assert "Update the record?" in page and 'value="staff_gender"' in page
    response = client.post(f"/assessments/session/{session.pk}/record/", {"item": ["safe_contact"]})
    assert response.status_code == 302 and response.url.endswith("/review/")
    personas.survivor.refresh_from_db()
    assert personas.survivor.safe_contact_method == "through_agency"
    other = web(personas.lawyer_b).post(
        f"/assessments/session/{session.pk}/record/", {"item": ["staff_gender"]}
    )
    assert other.status_code == 404


# --- the same question, one visit ------------------------------------------------------------


def section_page(web, personas, session, section_id):
    index = next(
        n for n, s in enumerate(session.instrument.sections, start=1) if s.id == section_id
    )
    return web(personas.navigator_a).get(f"/assessments/session/{session.pk}/section/{index}/")


def test_an_answer_in_one_instrument_is_the_default_in_the_other(personas, run_session, web):
    today = timezone.localdate()
    run_session("needs_assessment", {"community_connected": "a_little"}, on=today)
    profile = run_session("protective_factors", {}, on=today, complete=False)
    page = section_page(web, personas, profile, "community_engagement")
    items = {i.id: i for i in page.context["items"]}
    assert items["community_engagement"].value == "partly"
    # The session is in Spanish: so is the note, and the other instrument's title.
    assert items["community_engagement"].default_from == "Evaluación de necesidades"
    assert "Ya respondido hoy" in page.content.decode()


def test_and_the_other_way_round(personas, run_session, web):
    run_session("protective_factors", {"community_engagement": "present"}, on=timezone.localdate())
    needs = run_session("needs_assessment", {}, on=timezone.localdate(), complete=False)
    items = {i.id: i for i in section_page(web, personas, needs, "community").context["items"]}
    assert items["community_connected"].value == "yes"


def test_another_day_is_another_visit(personas, run_session, web):
    run_session(
        "needs_assessment",
        {"community_connected": "yes"},
        on=timezone.localdate() - timedelta(days=1),
    )
    profile = run_session("protective_factors", {}, on=timezone.localdate(), complete=False)
    items = {
        i.id: i
        for i in section_page(web, personas, profile, "community_engagement").context["items"]
    }
    assert items["community_engagement"].value is None
    assert items["community_engagement"].default_from == ""


def test_a_saved_answer_wins_over_the_default(personas, run_session, web):
    today = timezone.localdate()
    run_session("needs_assessment", {"community_connected": "yes"}, on=today)
    profile = run_session(
        "protective_factors", {"community_engagement": "not_yet"}, on=today, complete=False
    )
    items = {
        i.id: i
        for i in section_page(web, personas, profile, "community_engagement").context["items"]
    }
    assert items["community_engagement"].value == "not_yet"


# --- the file format -------------------------------------------------------------------------


def _one_item(**extra):
    return {
        "id": "t",
        "version": 1,
        "kind": "needs",
        "languages": ["en", "es"],
        "title": {"en": "T", "es": "T"},
        "sections": [
            {
                "id": "s",
                "title": {"en": "S", "es": "S"},
                "items": [
                    {
                        "id": "i",
                        "type": "single_choice",
                        "text": {"en": "Q", "es": "P"},
                        "options": [
                            {"value": "women", "label": {"en": "W", "es": "M"}},
                            {"value": "men", "label": {"en": "M", "es": "H"}},
                        ],
                        **extra,
                    }
                ],
            }
        ],
    }


def test_the_format_checks_record_fields_and_their_codes():
    assert parse_instrument(_one_item(record="staff_gender_preference")).item("i").record
    with pytest.raises(InstrumentError, match="a record field"):
        parse_instrument(_one_item(record="shoe_size"))
    with pytest.raises(InstrumentError, match="is not a faith_preference code"):
        parse_instrument(_one_item(record="faith_preference"))
    with pytest.raises(InstrumentError, match="has no option 'yes'"):
        parse_instrument(_one_item(same_as={"instrument": "x", "item": "y", "map": {"a": "yes"}}))


# --- strengths on the person's page ----------------------------------------------------------


def test_the_person_page_sums_up_protective_factors_and_resilience(personas, run_session, web):
    today = timezone.localdate()
    pf = ["substance_treatment", "role_models", "community_engagement", "housing_income"]
    run_session("protective_factors", dict.fromkeys(pf, "not_yet"), on=today - timedelta(days=90))
    run_session("protective_factors", dict.fromkeys(pf, "present"), on=today)
    page = web(personas.navigator_a).get(f"/people/{personas.survivor.pk}/").content.decode()
    assert "Strengths over time" in page
    assert "Protective factors (average, 0 = not yet, 2 = in place)</strong>: 2.00" in page
    assert "Up 2.00 since the first session." in page
    assert f"/assessments/person/{personas.survivor.pk}/trajectory/" in page


def test_no_strengths_section_without_such_sessions(personas, run_session, web):
    run_session("needs_assessment", {"community_connected": "yes"})
    page = web(personas.navigator_a).get(f"/people/{personas.survivor.pk}/").content.decode()
    assert "Strengths over time" not in page
