"""The pages: a card code to the survey without an account, cards, hand-over, review, inbox."""

import re

from wayfinder.assessments.views import HANDOVER_KEY
from wayfinder.audit.models import AuditEvent
from wayfinder.feedback import actions
from wayfinder.feedback.models import (
    Comment,
    CommentStatus,
    Invitation,
    Response,
    WayfinderFeedback,
)
from wayfinder.feedback.tests.helpers import answer


def test_card_code_to_survey_without_an_account(personas, client):
    code = actions.mint_invitation(agency=personas.lead, service_category="housing", channel="card")
    page = client.get("/f/")
    assert page.status_code == 200 and 'autocomplete="off"' in page.content.decode()
    assert client.post("/f/", {"code": "WRONG-CODE1"}).status_code == 200
    resp = client.post("/f/", {"code": actions.display_code(code).lower()})
    assert resp.status_code == 302 and resp["Location"] == f"/f/{code}/"
    survey = client.get(resp["Location"])
    html = survey.content.decode()
    assert "no-store" in survey["Cache-Control"]
    assert "I felt safe in this place." in html and "Prefer not to say" in html
    done = client.post(
        f"/f/{code}/", {"felt_safe": "4", "own_pace": "declined", "comment": "Very kind people."}
    )
    assert done.status_code == 302 and done["Location"] == "/f/done/"
    row = Response.objects.get()
    assert (row.agency, row.service_category) == (personas.lead, "housing")
    assert row.answers == {"felt_safe": 4, "own_pace": "declined"}
    assert Comment.objects.get().status == CommentStatus.SHOWN


def test_survey_in_spanish(personas, client):
    code = actions.mint_invitation(
        agency=personas.lead, service_category="legal_civil", channel="card"
    )
    client.cookies["django_language"] = "es"
    html = client.get(f"/f/{code}/").content.decode()
    assert "Me sentí a salvo en este lugar." in html and "Prefiero no decir" in html


def test_portal_start_is_the_survey(personas, client):
    code = actions.mint_invitation(
        agency=personas.legal, service_category="legal_civil", channel="portal"
    )
    from django.urls import reverse

    url = reverse("feedback:portal_start", args=[code])
    assert client.get(url).status_code == 200
    assert client.post(url, {"felt_safe": "3"}).status_code == 302
    assert Response.objects.get().agency == personas.legal


def test_staff_print_a_sheet_of_cards(personas, web):
    resp = web(personas.navigator_a).post(
        "/feedback/cards/", {"service_category": "case_management", "count": "3"}
    )
    html = resp.content.decode()
    assert html.count("<svg") == 3
    codes = re.findall(r'class="feedback-card-code">([0-9A-Z]{5}-[0-9A-Z]{5})<', html)
    assert len(codes) == 3 and all(actions.usable_invitation(c) for c in codes)
    assert Invitation.objects.filter(agency=personas.lead, channel="card").count() == 3
    assert "no-store" in resp["Cache-Control"]
    bad = web(personas.navigator_a).post(
        "/feedback/cards/", {"service_category": "x", "count": "3"}
    )
    assert Invitation.objects.count() == 3 and "Choose a service category." in bad.content.decode()
    assert web(personas.analyst).get("/feedback/cards/").status_code == 404


def test_hand_over_mode_offers_the_survey(personas, web):
    client = web(personas.navigator_a)
    session = client.session
    session[HANDOVER_KEY] = {"session": "00000000-0000-0000-0000-000000000000", "failures": 0}
    session.save()
    resp = client.post("/f/handover/", {"language": "es"})
    assert resp.status_code == 302 and resp["Location"].startswith("/f/")
    assert resp.cookies["django_language"].value == "es"
    inv = Invitation.objects.get()
    assert (inv.agency, inv.channel) == (personas.lead, "handover")
    # The hand-over lock lets the person reach the survey and nothing else.
    assert client.get(resp["Location"]).status_code == 200
    assert client.get("/feedback/").status_code == 302
    # Not in hand-over mode: no code.
    assert web(personas.navigator_a).post("/f/handover/").status_code == 404


def test_held_comment_waits_for_review_then_shows(personas, web):
    for n in range(5):
        answer(
            personas.lead, {"felt_safe": "3"}, "Call Maria Lopez on 555 123 4567" if n == 0 else ""
        )
    held = Comment.objects.get()
    assert held.status == CommentStatus.HELD and held.flags == ["name", "phone"]
    admin = web(personas.admin_a)
    assert "Maria Lopez" not in admin.get("/feedback/").content.decode()
    assert "Maria Lopez" in admin.get("/feedback/comments/").content.decode()
    resp = admin.post(f"/feedback/comments/{held.pk}/", {"decision": "release"})
    assert resp.status_code == 302
    held.refresh_from_db()
    assert held.status == CommentStatus.SHOWN
    assert "Maria Lopez" in admin.get("/feedback/").content.decode()
    event = AuditEvent.objects.get(action="feedback.comment.release")
    assert event.actor_id == personas.admin_a.pk and event.object_id == str(held.pk)


def test_deleting_a_held_comment_removes_its_text(personas, web):
    for n in range(5):
        answer(personas.lead, {"felt_safe": "3"}, "I live at 12 Elm Street" if n == 0 else "")
    held = Comment.objects.get()
    assert web(personas.navigator_a).post(f"/feedback/comments/{held.pk}/").status_code == 404
    web(personas.admin_a).post(f"/feedback/comments/{held.pk}/", {"decision": "delete"})
    held.refresh_from_db()
    assert (held.status, held.text) == (CommentStatus.DELETED, "")
    assert AuditEvent.objects.filter(action="feedback.comment.delete").count() == 1


def test_feedback_about_wayfinder_reaches_the_network_admin(personas, client, web):
    page = client.get("/f/wayfinder/")
    assert page.status_code == 200
    resp = client.post("/f/wayfinder/", {"sender": "survivor", "text": "The words are clear."})
    assert resp.status_code == 200 and "We got your message." in resp.content.decode()
    row = WayfinderFeedback.objects.get()
    assert row.sender == "survivor"
    assert web(personas.admin_a).get("/feedback/wayfinder/").status_code == 404
    inbox = web(personas.network_admin)
    assert "The words are clear." in inbox.get("/feedback/wayfinder/").content.decode()
    inbox.post("/feedback/wayfinder/", {"id": str(row.pk)})
    row.refresh_from_db()
    assert row.read
    empty = client.post("/f/wayfinder/", {"sender": "staff", "text": "  "})
    assert "Please write something first." in empty.content.decode()


def test_portal_gets_a_survey_address_for_an_agency_and_service(personas, client):
    url = actions.portal_survey_url(agency=personas.legal, service_category="legal_civil")
    assert url.startswith("/f/p/")
    assert client.get(url).status_code == 200
    inv = Invitation.objects.get()
    assert (inv.agency, inv.service_category, inv.channel) == (
        personas.legal,
        "legal_civil",
        "portal",
    )


def test_from_the_thanks_page_of_hand_over_mode_to_the_survey_and_back(personas, web):
    from django.urls import reverse

    from wayfinder.assessments import testing

    nav = personas.actor(personas.navigator_a)
    session = testing.run_session(
        personas.survivor, nav, "brief_resilience_scale", {}, complete=False
    )
    client = web(personas.navigator_a)
    client.post(reverse("assessments:handover", args=[session.pk]))
    client.post(
        reverse("assessments:section", args=[session.pk, 1]), {"a-brs_1": "4", "nav": "next"}
    )
    thanks = client.get(reverse("assessments:thanks", args=[session.pk])).content.decode()
    assert 'action="/f/handover/"' in thanks and "Dar su opinión" in thanks  # in Spanish
    to_survey = client.post("/f/handover/", {"language": "es"})
    survey_url = to_survey["Location"]
    assert "Me sentí a salvo" in client.get(survey_url).content.decode()
    done = client.post(survey_url, {"felt_safe": "4"})
    assert done["Location"] == "/f/done/"
    page = client.get("/f/done/").content.decode()
    assert reverse("assessments:handback", args=[session.pk]) in page
    row = Response.objects.get()
    assert (row.agency, row.service_category) == (personas.lead, "case_management")
    assert str(session.pk) not in repr(list(Response.objects.values()))
    assert str(personas.survivor.pk) not in repr(list(Invitation.objects.values()))
