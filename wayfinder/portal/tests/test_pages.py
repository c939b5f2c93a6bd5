"""My sharing, who looked, my plan: what the person sees and does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from wayfinder.audit.models import AuditEvent
from wayfinder.consent.models import Consent
from wayfinder.consent.tests.factories import consent
from wayfinder.plans.models import ProgressNote, Step, StepStatus
from wayfinder.plans.queries import plan_for
from wayfinder.plans.tests import factories as plans
from wayfinder.portal.models import NoticeKind, PortalNotice
from wayfinder.portal.tests.factories import account, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(personas):
    acc, _codes = account(personas)
    return sign_in(Client(), acc)


def test_sharing_says_each_consent_plainly(personas, me, lawyer_on_team):
    c = consent(personas, personas.legal, ["identity", "legal"])
    page = me.get("/my/sharing/").content.decode()
    day = date_format(timezone.localtime(c.expires_at).date(), "MONTH_DAY_FORMAT")  # "June 3"
    assert f"Justice Bridge Legal Aid can see your name and your legal case until {day}." in page
    # What it is for, so two consents to one agency can be told apart.
    assert " · ".join(str(label) for label in c.purpose_labels()) in page


def test_withdraw_in_one_step_ends_the_partners_access_at_once(
    personas, me, lawyer_on_team, api_as
):
    c = consent(personas, personas.legal, ["identity", "legal"])
    lawyer = api_as(personas.lawyer_b)
    assert lawyer.get(f"/api/v1/persons/{personas.survivor.pk}").status_code == 200
    r = me.post(f"/my/sharing/{c.pk}/withdraw/")
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.revoked_via == "survivor_portal" and c.revoked_recorded_by is None
    ended = lawyer.get(f"/api/v1/persons/{personas.survivor.pk}")
    assert ended.status_code == 410 and ended.json()["code"] == "access_ended"
    event = AuditEvent.objects.get(action="consent.revoke")
    assert event.detail["channel"] == "survivor_portal" and event.via == "portal"
    assert PortalNotice.objects.filter(kind=NoticeKind.WITHDREW).exists()
    assert b"No one else can see your file now." in me.get("/my/sharing/").content


def test_cannot_withdraw_another_persons_consent(personas, me, lawyer_on_team):
    other = _other_person(personas)
    c = consent(personas, personas.legal, ["identity"], person=other)
    assert me.post(f"/my/sharing/{c.pk}/withdraw/").status_code == 404
    assert Consent.objects.get(pk=c.pk).revoked_at is None


def _other_person(personas):
    from wayfinder.people.actions import create_person
    from wayfinder.people.models import Identity

    return create_person(
        actor=personas.actor(personas.navigator_a),
        identity=Identity(chosen_name="Bea Other"),
        preferred_languages=["eng"],
    )


def test_ask_for_a_new_consent_is_a_request_only(personas, me, web):
    r = me.post("/my/sharing/ask/")
    assert r.status_code == 302
    assert PortalNotice.objects.get().kind == NoticeKind.CONSENT_REQUEST
    assert not Consent.objects.exists()
    # The navigator sees it on the person's page.
    page = web(personas.navigator_a).get(f"/people/{personas.survivor.pk}/").content.decode()
    assert "The person asks to talk about a new consent." in page


def test_who_looked_uses_agency_names_not_staff_names(personas, me, lawyer_on_team, api_as):
    consent(personas, personas.legal, ["identity", "legal"])
    api_as(personas.lawyer_b).get(f"/api/v1/persons/{personas.survivor.pk}")
    page = me.get("/my/looked/").content.decode()
    assert "Justice Bridge Legal Aid looked at your name" in page
    assert "Lee Lawyer" not in page and "lawyer.b@" not in page
    assert "127.0.0.1" not in page and personas.survivor.pseudonym not in page


def test_plan_shows_goals_and_steps_and_the_person_marks_theirs_done(personas, me):
    g = plans.goal(personas)
    mine = plans.step(personas, g)
    theirs = plans.step(
        personas, g, text="Llamar al abogado", assignee="agency", assigned_agency=personas.lead
    )
    page = me.get("/my/plan/").content.decode()
    assert "Quiero un lugar seguro donde vivir." in page and "Llenar la solicitud" in page
    assert f"/my/plan/steps/{mine.pk}/done/" in page
    assert f"/my/plan/steps/{theirs.pk}/done/" not in page
    assert me.post(f"/my/plan/steps/{theirs.pk}/done/").status_code == 404
    assert me.post(f"/my/plan/steps/{mine.pk}/done/").status_code == 302
    mine.refresh_from_db()
    assert mine.status == StepStatus.DONE and mine.done_by is None
    ev = AuditEvent.objects.filter(action="plan.step_status").latest("seq")
    assert ev.detail["by_person"] is True and ev.via == "portal"
    assert Step.objects.get(pk=theirs.pk).status == StepStatus.OPEN


def test_agency_only_notes_never_reach_the_portal(personas, me):
    plans.note(personas, text="Solo para la agencia.", visibility="agency")
    plans.note(personas, text="Para todo el equipo.", visibility="care_team")
    page = me.get("/my/plan/").content.decode()
    assert "Para todo el equipo." in page
    assert "Solo para la agencia." not in page


def test_the_persons_note_is_sealed_and_the_team_reads_it(personas, me, nav, web):
    r = me.post("/my/plan/note/", {"text": "Ya tengo cita el martes."})
    assert r.status_code == 302
    note = ProgressNote.objects.get()
    assert b"martes" not in bytes(note.text_ct)
    assert note.visibility == "care_team"
    view = plan_for(nav, nav_access(personas, nav))
    assert "Ya tengo cita el martes." in [n.text for n in view.notes]
    page = web(personas.navigator_a).get(f"/plans/person/{personas.survivor.pk}/").content.decode()
    assert "Ya tengo cita el martes." in page
    assert "Written by the person (survivor portal)" in page


def nav_access(personas, actor):
    from wayfinder.access.gate import access_for

    return access_for(actor, personas.survivor)


def test_the_feedback_slot_opens_an_anonymous_survey(me):
    from wayfinder.feedback.models import Invitation

    page = me.get("/my/home/").content.decode()
    assert 'action="/my/feedback/"' in page and 'id="portal-feedback"' in page
    r = me.post("/my/feedback/")
    assert r.status_code == 302 and r["Location"].startswith("/f/p/")
    assert Invitation.objects.count() == 1  # a fresh single-use code, holding no person
    assert me.get(r["Location"]).status_code == 200


def test_notes_say_when_and_the_older_ones_fold_away(personas, me):
    """Newest first, each with its day; past the third, "N older notes" opens the rest."""
    import time_machine

    goal = plans.goal(personas)
    start = timezone.now() - timedelta(days=30)
    for i in range(5):
        with time_machine.travel(start + timedelta(days=i), tick=False):
            plans.note(personas, text=f"Nota {i}.", goal=goal)
    with time_machine.travel(start, tick=False):
        plans.note(personas, text="Sin meta.")
    page = me.get("/my/plan/").content.decode()
    shown, folded = page.split('<details class="older-notes">')
    assert [f"Nota {i}." in shown for i in range(5)] == [False, False, True, True, True]
    assert shown.index("Nota 4.") < shown.index("Nota 3.") < shown.index("Nota 2.")
    assert "<summary>2 older notes</summary>" in folded
    assert "Nota 1." in folded and "Nota 0." in folded
    day = date_format(timezone.localtime(start + timedelta(days=4)).date(), "DATE_FORMAT")
    assert f'<span class="note-date">{day}</span> Nota 4.' in shown
    # A note on no goal has its day too, and is not folded with the goal's.
    assert "Sin meta." in folded.split("</details>")[1]

    me.post("/my/language/", {"language": "ru", "next": "/my/plan/"})
    page = me.get("/my/plan/").content.decode()
    assert "<summary>2 более ранние записи</summary>" in page  # Russian's form for 2 to 4
