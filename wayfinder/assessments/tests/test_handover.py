"""Hand-over mode: the person answers on the worker's device; staff pages stay shut until the
staff member's password is given."""

from datetime import date

import pytest
from django.urls import reverse

from wayfinder.assessments.models import Answer
from wayfinder.audit.models import AuditEvent
from wayfinder.core.testing import PASSWORD


def url(name, *args):
    return reverse(f"assessments:{name}", args=args)


@pytest.fixture
def handed_over(personas, web, run_session):
    """A reassessment in progress, handed to the person on the navigator's signed-in client."""
    run_session("brief_resilience_scale", {"brs_1": 2}, on=date(2026, 1, 5))
    session = run_session("brief_resilience_scale", {}, complete=False)
    client = web(personas.navigator_a)
    response = client.post(url("handover", session.pk))
    assert response["Location"] == url("section", session.pk, 1)
    return client, session


def test_the_person_sees_the_questions_without_staff_navigation_or_past_answers(
    personas, handed_over
):
    client, session = handed_over
    html = client.get(url("section", session.pk, 1)).content.decode()
    assert 'class="main-nav"' not in html and "My account" not in html
    assert 'id="quick-exit"' in html
    assert "Última vez" not in html  # previous answers are for staff only
    assert personas.survivor.pseudonym not in html
    assert 'id="return-to-staff"' in html and 'id="hand-over"' not in html
    assert 'value="pause"' not in html


def test_every_other_page_leads_back_to_the_questionnaire(personas, handed_over, run_session):
    client, session = handed_over
    other = run_session("needs_assessment", {}, complete=False)
    for path in (
        "/",
        "/people/",
        f"/people/{personas.survivor.pk}/",
        url("person", personas.survivor.pk),
        url("review", session.pk),
        url("detail", session.pk),
        url("section", other.pk, 1),
        "/accounts/email/",
        "/consent/",
    ):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == url("session", session.pk), path
    assert client.get(url("session", session.pk))["Location"] == url("section", session.pk, 1)
    finish = client.post(url("complete", session.pk))
    assert finish["Location"] == url("session", session.pk)
    session.refresh_from_db()
    assert session.is_open


def test_answers_given_in_hand_over_mode_are_marked_as_the_persons(personas, handed_over):
    client, session = handed_over
    response = client.post(
        url("section", session.pk, 1),
        {"a-brs_1": "4", "a-brs_2": "__declined__", "nav": "next"},
    )
    assert response["Location"] == url("thanks", session.pk)  # the last (only) section
    rows = {a.item_id: a for a in Answer.objects.filter(session=session)}
    assert rows["brs_1"].by_person and rows["brs_2"].declined and rows["brs_2"].by_person
    assert "Gracias" in client.get(url("thanks", session.pk)).content.decode()


def test_a_wrong_password_keeps_hand_over_mode(personas, handed_over):
    client, session = handed_over
    response = client.post(url("handback", session.pk), {"password": "guess"})
    assert (
        response.status_code == 200 and "That password is not right." in response.content.decode()
    )
    assert client.get("/people/").status_code == 302
    assert AuditEvent.objects.filter(action="assessment.handover_failed").count() == 1


def test_the_staff_password_returns_to_staff_mode(personas, handed_over):
    client, session = handed_over
    response = client.post(url("handback", session.pk), {"password": PASSWORD})
    assert response["Location"] == url("review", session.pk)
    assert client.get(url("review", session.pk)).status_code == 200
    actions = list(
        AuditEvent.objects.filter(action__startswith="assessment.handover").values_list(
            "action", flat=True
        )
    )
    assert actions == ["assessment.handover_start", "assessment.handover_end"]


def test_five_wrong_passwords_sign_the_staff_member_out(personas, handed_over):
    client, session = handed_over
    for _ in range(5):
        response = client.post(url("handback", session.pk), {"password": "wrong"})
    assert response["Location"] == reverse("account_login")
    assert client.get(url("review", session.pk)).status_code == 302  # to the login page
    assert AuditEvent.objects.filter(action="assessment.handover_signed_out").exists()


def test_quick_exit_still_works_in_hand_over_mode(personas, handed_over, settings):
    client, _session = handed_over
    response = client.post(reverse("quick_exit"))
    assert response.status_code == 302
    assert response["Location"] == settings.WAYFINDER_QUICK_EXIT_URL
    assert "_auth_user_id" not in client.session
