"""The pages: a navigator assesses, pauses, finishes, edits needs and sees the trajectory."""

import re
from datetime import date

import pytest
from django.utils import timezone

from wayfinder.assessments.models import Answer, Need, NeedStatus, Session
from wayfinder.assessments.scoring import DECLINED
from wayfinder.audit.models import AuditEvent


def url(name, *args):
    from django.urls import reverse

    return reverse(f"assessments:{name}", args=args)


@pytest.fixture
def navigator(personas, web):
    return web(personas.navigator_a)


def test_start_page_defaults_to_the_persons_language_and_starts_a_session(personas, navigator):
    person = personas.survivor
    page = navigator.get(url("start", person.pk))
    assert page.status_code == 200
    # The survivor's first language is Spanish (the option is named in it, and says so: lang).
    assert re.search(rb'<option value="es"[^>]*\bselected\b', page.content)
    response = navigator.post(
        url("start", person.pk),
        {
            "instrument": "needs_assessment",
            "language": "es",
            "mode": "in_person",
            "interpreter_used": "no",
            "conducted_on": timezone.localdate().isoformat(),
        },
    )
    session = Session.objects.get(person=person)
    assert response.status_code == 302
    assert response["Location"] == url("section", session.pk, 1)
    assert session.language == "es"


def test_start_form_errors_are_shown_not_raised(personas, navigator):
    response = navigator.post(
        url("start", personas.survivor.pk),
        {
            "instrument": "tarot",
            "language": "es",
            "mode": "in_person",
            "interpreter_used": "no",
            "conducted_on": "2999-01-01",
        },
    )
    assert response.status_code == 200
    assert not Session.objects.exists()
    assert b"errorlist" in response.content


def test_a_section_renders_in_the_session_language_with_prefer_not_to_say(
    personas, navigator, run_session
):
    session = run_session("needs_assessment", {}, complete=False)
    page = navigator.get(url("section", session.pk, 2))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="es"' in html
    assert "Seguridad" in html and "¿Se siente seguro/a donde se está quedando ahora?" in html
    assert html.count('value="__declined__"') == 3  # one per item of the safety section
    assert "Sección 2 de 13" in html
    assert AuditEvent.objects.filter(action="assessment.view", category="assessments").exists()


def test_saving_a_section_stores_answers_and_declines_then_moves_on(
    personas, navigator, run_session
):
    session = run_session("needs_assessment", {}, complete=False)
    response = navigator.post(
        url("section", session.pk, 2),
        {"a-safe_now": "no", "a-contact_from_exploiter": "__declined__", "nav": "next"},
    )
    assert response.status_code == 302 and response["Location"] == url("section", session.pk, 3)
    rows = {a.item_id: a for a in Answer.objects.filter(session=session)}
    assert rows["safe_now"].value == "no"
    assert rows["contact_from_exploiter"].declined
    assert "safety_plan_help" not in rows  # left unanswered: no row at all
    session.refresh_from_db()
    assert session.current_section == 2  # resumes on section 3


def test_value_and_decline_together_is_a_form_error_and_nothing_is_saved(
    personas, navigator, run_session
):
    session = run_session("needs_assessment", {}, complete=False)
    response = navigator.post(
        url("section", session.pk, 4),
        {
            "a-household_size": "3",
            "a-household_size-declined": "1",
            "a-job_help": "yes",
            "nav": "next",
        },
    )
    assert response.status_code == 200
    assert "Dé una respuesta o elija" in response.content.decode()  # in the session's language
    assert not Answer.objects.filter(session=session).exists()


def test_a_follow_up_question_appears_after_saving_without_javascript(
    personas, navigator, run_session
):
    session = run_session("needs_assessment", {}, complete=False)
    page = navigator.get(url("section", session.pk, 4)).content.decode()
    assert 'id="q-work_safe_fair" hidden' in page
    response = navigator.post(
        url("section", session.pk, 4), {"a-working_now": "part_time", "nav": "next"}
    )
    assert response["Location"] == url("section", session.pk, 4)  # stays: a new question showed
    page = navigator.get(url("section", session.pk, 4)).content.decode()
    assert 'id="q-work_safe_fair" hidden' not in page


def test_with_the_script_running_saving_moves_on_at_once(personas, navigator, run_session):
    session = run_session("needs_assessment", {}, complete=False)
    response = navigator.post(
        url("section", session.pk, 4), {"a-working_now": "part_time", "nav": "next", "live": "1"}
    )
    assert response["Location"] == url("section", session.pk, 5)


def test_visibility_endpoint_answers_from_the_page_without_saving(personas, navigator, run_session):
    session = run_session("needs_assessment", {}, complete=False)
    response = navigator.post(url("section_visible", session.pk, 4), {"a-working_now": "full_time"})
    assert "work_safe_fair" in response.json()["visible"]
    response = navigator.post(url("section_visible", session.pk, 4), {"a-working_now": "looking"})
    assert "work_safe_fair" not in response.json()["visible"]
    assert not Answer.objects.filter(session=session).exists()


def test_pause_returns_to_the_person_and_resume_opens_the_saved_section(
    personas, navigator, run_session
):
    session = run_session("needs_assessment", {}, complete=False)
    response = navigator.post(
        url("section", session.pk, 3), {"a-housing_help": "yes", "nav": "pause"}
    )
    assert response["Location"] == url("person", personas.survivor.pk)
    assert navigator.get(url("session", session.pk))["Location"] == url("section", session.pk, 3)


def test_reassessment_shows_previous_answers_to_staff(personas, navigator, run_session):
    run_session("brief_resilience_scale", {"brs_1": 2}, on=date(2026, 1, 5))
    second = run_session("brief_resilience_scale", {}, complete=False)
    html = navigator.get(url("section", second.pk, 1)).content.decode()
    assert "Última vez" in html and "En desacuerdo" in html


def test_review_and_finish_create_needs_and_scores(personas, navigator, run_session):
    session = run_session(
        "needs_assessment",
        {"sleep_tonight": "no_place", "thoughts_of_harm": DECLINED},
        complete=False,
    )
    review = navigator.get(url("review", session.pk)).content.decode()
    assert "Finish assessment" in review
    response = navigator.post(url("complete", session.pk))
    assert response["Location"] == url("detail", session.pk)
    detail = navigator.get(url("detail", session.pk)).content.decode()
    assert "Emergency shelter" in detail and "Prefer not to say" in detail
    assert Need.objects.get(person=personas.survivor).category == "emergency_shelter"


def test_needs_page_adds_and_edits_a_need(personas, navigator):
    person = personas.survivor
    response = navigator.post(
        url("needs", person.pk), {"category": "childcare", "urgency": "medium", "note": "Two kids"}
    )
    assert response.status_code == 302
    need = Need.objects.get(person=person)
    page = navigator.get(url("needs", person.pk)).content.decode()
    assert "Childcare" in page and "Two kids" in page and "Added by staff" in page
    response = navigator.post(
        url("need_edit", need.pk),
        {"category": "childcare", "urgency": "high", "status": "met", "note": ""},
    )
    need.refresh_from_db()
    assert (need.status, need.urgency, need.note_ct) == (NeedStatus.MET, "high", None)
    assert AuditEvent.objects.filter(action="need.list", category="needs").exists()
    bad = navigator.post(url("needs", person.pk), {"category": "castles", "urgency": "medium"})
    assert bad.status_code == 200 and Need.objects.count() == 1


def test_trajectory_draws_an_accessible_chart_with_a_table(personas, navigator, run_session):
    run_session(
        "brief_resilience_scale", dict.fromkeys(["brs_1", "brs_3", "brs_5"], 2), on=date(2026, 1, 5)
    )
    run_session(
        "brief_resilience_scale", dict.fromkeys(["brs_1", "brs_3", "brs_5"], 4), on=date(2026, 6, 5)
    )
    html = navigator.get(url("trajectory", personas.survivor.pk)).content.decode()
    assert (
        '<svg class="trajectory-chart" role="img" aria-labelledby="chart-0-title chart-0-desc"'
        in html
    )
    assert '<title id="chart-0-title">Resilience (BRS mean, 1-5)</title>' in html
    assert "First 2.00, latest 4.00. Up 2.00 since the first session." in html
    assert html.count("<circle") == 2 and "<table" in html
    assert AuditEvent.objects.filter(action="assessment.trajectory").exists()


def test_person_page_lists_sessions_with_bounded_queries(
    personas, navigator, run_session, django_assert_max_num_queries
):
    for month in (1, 2, 3, 4):
        run_session("brief_resilience_scale", {"brs_1": month}, on=date(2026, month, 1))
    with django_assert_max_num_queries(25):
        page = navigator.get(url("person", personas.survivor.pk))
    assert page.content.decode().count("Brief Resilience Scale") >= 4


def test_work_list_shows_paused_and_due(
    personas, navigator, run_session, django_assert_max_num_queries
):
    run_session("brief_resilience_scale", {"brs_1": 3}, on=date(2025, 1, 1))
    run_session("needs_assessment", {}, complete=False)
    with django_assert_max_num_queries(20):
        html = navigator.get(url("index")).content.decode()
    assert personas.survivor.pseudonym in html and "Brief Resilience Scale" in html


# --- who may see what -------------------------------------------------------------------------


def every_page(personas, session, need):
    pid = personas.survivor.pk
    return [
        ("get", url("person", pid)),
        ("get", url("start", pid)),
        ("post", url("start", pid)),
        ("get", url("needs", pid)),
        ("post", url("needs", pid)),
        ("get", url("trajectory", pid)),
        ("get", url("need_edit", need.pk)),
        ("post", url("need_edit", need.pk)),
        ("get", url("session", session.pk)),
        ("get", url("section", session.pk, 1)),
        ("post", url("section", session.pk, 1)),
        ("post", url("section_visible", session.pk, 1)),
        ("get", url("review", session.pk)),
        ("post", url("complete", session.pk)),
        ("post", url("stop", session.pk)),
        ("get", url("detail", session.pk)),
        ("post", url("handover", session.pk)),
        ("get", url("handback", session.pk)),
        ("get", url("thanks", session.pk)),
    ]


def test_an_outsider_agency_gets_404_on_every_assessment_page(personas, web, nav, run_session):
    from wayfinder.assessments.actions import add_need

    session = run_session("needs_assessment", {"sleep_tonight": "own_place"}, complete=False)
    need = add_need(personas.survivor, actor=nav, category="housing", urgency="low")
    outsider = web(personas.outsider_c)
    for method, path in every_page(personas, session, need):
        response = getattr(outsider, method)(path)
        assert response.status_code == 404, (method, path, response.status_code)
    assert outsider.get(url("index")).status_code == 200  # their own (empty) work list
    session.refresh_from_db()
    assert session.is_open and Answer.objects.filter(session=session).count() == 1


def test_analyst_sees_no_assessment_page(personas, web, nav, run_session):
    from wayfinder.assessments.actions import add_need

    session = run_session("needs_assessment", {}, complete=False)
    need = add_need(personas.survivor, actor=nav, category="housing", urgency="low")
    analyst = web(personas.analyst)
    for method, path in [*every_page(personas, session, need), ("get", url("index"))]:
        assert getattr(analyst, method)(path).status_code == 404, path


def test_partner_without_the_categories_gets_404(personas, web, share_with_lawyer, run_session):
    session = run_session("brief_resilience_scale", {"brs_1": 3})
    share_with_lawyer(["identity"])
    lawyer = web(personas.lawyer_b)
    for path in (
        url("person", personas.survivor.pk),
        url("detail", session.pk),
        url("needs", personas.survivor.pk),
        url("trajectory", personas.survivor.pk),
    ):
        assert lawyer.get(path).status_code == 404, path


def test_partner_with_assessments_and_needs_reads_but_cannot_write(
    personas, web, share_with_lawyer, run_session
):
    session = run_session(
        "needs_assessment",
        {"sleep_tonight": "no_place", "substance_help": "yes", "immigration_questions": "yes"},
    )
    share_with_lawyer(["assessments", "needs", "immigration"])
    lawyer = web(personas.lawyer_b)
    detail = lawyer.get(url("detail", session.pk)).content.decode()
    # immigration is consented; substance use is not, so its answers and its need are absent
    assert "¿Tiene preguntas" not in detail  # staff pages are in the reader's language
    assert "Do you have questions or worries about your immigration status?" in detail
    assert "alcohol" not in detail.lower()
    needs = lawyer.get(url("needs", personas.survivor.pk)).content.decode()
    assert "Emergency shelter" in needs and "Immigration legal services" in needs
    assert "Substance use treatment" not in needs
    assert lawyer.get(url("start", personas.survivor.pk)).status_code == 404
    assert (
        lawyer.post(
            url("needs", personas.survivor.pk), {"category": "housing", "urgency": "low"}
        ).status_code
        == 404
    )
    event = AuditEvent.objects.filter(action="assessment.view", actor_id=personas.lawyer_b.pk).get()
    assert event.detail["consents"]


def test_a_partner_shown_needs_but_not_assessments_gets_no_link_it_cannot_follow(
    personas, web, share_with_lawyer, run_session
):
    """The "Where it came from" link leads to the assessment only for a reader who may open it: a
    partner shown needs alone reads the date and the question, and no link to a 404."""
    session = run_session("needs_assessment", {"sleep_tonight": "no_place"})
    link = f'href="{url("detail", session.pk)}"'
    share_with_lawyer(["needs"])
    lawyer = web(personas.lawyer_b)
    needs = lawyer.get(url("needs", personas.survivor.pk)).content.decode()
    assert "Emergency shelter" in needs and "Needs assessment" in needs
    assert link not in needs
    assert lawyer.get(url("detail", session.pk)).status_code == 404
    # With assessments shared too, the link is there and leads to the assessment.
    share_with_lawyer(["needs", "assessments"])
    needs = lawyer.get(url("needs", personas.survivor.pk)).content.decode()
    assert link in needs
    assert lawyer.get(url("detail", session.pk)).status_code == 200
    assert (
        link in web(personas.navigator_a).get(url("needs", personas.survivor.pk)).content.decode()
    )


def test_needs_and_trajectory_pages_have_bounded_queries(
    personas, navigator, nav, run_session, django_assert_max_num_queries
):
    from wayfinder.assessments.actions import add_need

    for category in ("housing", "childcare", "medical", "education", "mentoring", "community"):
        add_need(personas.survivor, actor=nav, category=category, urgency="low", note="n")
    for month in (1, 4, 8):
        run_session("brief_resilience_scale", {"brs_1": 3}, on=date(2026, month, 1))
        run_session("protective_factors", {"role_models": "partly"}, on=date(2026, month, 2))
    with django_assert_max_num_queries(22):
        navigator.get(url("needs", personas.survivor.pk))
    with django_assert_max_num_queries(22):
        page = navigator.get(url("trajectory", personas.survivor.pk))
    assert page.content.decode().count('role="img"') == 2
