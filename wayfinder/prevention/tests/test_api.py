"""/api/v1/prevention/: trainers only; counts, never a trainee's name."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from wayfinder.prevention import actions
from wayfinder.prevention.tests.factories import campaign, course, session, trainer
from wayfinder.prevention.tests.test_knowledge import answers

BASE = "/api/v1/prevention"


def test_sessions_with_attendance_counts_and_no_names(db, api_as, personas):
    actor = trainer(personas.lead, "t@example.org")
    s = session(actor, capacity=1)
    a = actions.register(
        s, name="Ana Ruiz", email="ana@example.org", organisation="", sector="youth"
    )
    actions.register(s, name="Ben Cole", email="ben@example.org", organisation="", sector="youth")
    actions.take_attendance(s, actor=actor, present_ids=[a.pk])
    actions.record_check(a, actor=actor, phase="pre", answers=answers(3))
    actions.record_check(a, actor=actor, phase="post", answers=answers(6))
    api = api_as(actor.user)
    response = api.get(f"{BASE}/sessions/")
    assert response.status_code == 200
    [row] = response.json()
    assert {k: row[k] for k in ("registered", "waitlisted", "attended", "completed")} == {
        "registered": 1,
        "waitlisted": 1,
        "attended": 1,
        "completed": 1,
    }
    assert (row["knowledge_before"], row["knowledge_after"], row["knowledge_change"]) == (
        50.0,
        100.0,
        50.0,
    )
    assert "Ana" not in response.content.decode() and "ana@" not in response.content.decode()
    assert api.get(f"{BASE}/sessions/{s.pk}/").json()["id"] == str(s.pk)


def test_courses_campaigns_and_creating_a_session(db, api_as, personas):
    actor = trainer(personas.lead, "t@example.org")
    c = course(actor)
    camp = campaign(actor)
    actions.record_outreach(
        camp,
        actor=actor,
        date=timezone.localdate(),
        zip_code="60623",
        audience="migrant_workers",
        language="es",
        people_reached=12,
    )
    link = actions.add_link_code(camp, actor=actor, code="API1")
    actions.count_help_visit(link)
    api = api_as(actor.user)
    assert [x["title"] for x in api.get(f"{BASE}/courses/").json()] == [c.title]
    [row] = api.get(f"{BASE}/campaigns/").json()
    assert (row["events"], row["people_reached"], row["help_page_visits"]) == (1, 12, 1)
    created = api.post(
        f"{BASE}/sessions/",
        {
            "course_id": str(c.pk),
            "starts_at": (timezone.now() + timedelta(days=5)).isoformat(),
            "video_link": "https://meet.example.org/soar",
            "sector": "education",
            "language": "es",
            "capacity": 20,
        },
    )
    assert created.status_code == 201 and created.json()["capacity"] == 20
    no_place = api.post(
        f"{BASE}/sessions/",
        {
            "course_id": str(c.pk),
            "starts_at": (timezone.now() + timedelta(days=5)).isoformat(),
            "sector": "education",
            "language": "es",
            "capacity": 20,
        },
    )
    assert no_place.status_code == 422 and no_place.json()["code"] == "place_required"


def test_the_outsider_and_casework_staff_get_404(db, api_as, personas):
    session(trainer(personas.lead, "t@example.org"))
    for user in (personas.outsider_c, personas.navigator_a):
        api = api_as(user)
        for path in ("/courses/", "/sessions/", "/campaigns/"):
            assert api.get(BASE + path).status_code == 404
