"""Plan pages: read, add goals/steps/notes, change status, print in the person's language."""

from datetime import timedelta

import pytest
from django.utils import timezone

from wayfinder.consent.tests.factories import consent
from wayfinder.plans.models import Goal, ProgressNote, Step
from wayfinder.plans.tests.factories import goal, step


def test_navigator_builds_the_plan_through_the_pages(personas, web):
    client = web(personas.navigator_a)
    person = personas.survivor
    target = (timezone.localdate() + timedelta(days=30)).isoformat()
    r = client.post(
        f"/plans/person/{person.pk}/goals/new/",
        {
            "text": "Quiero terminar la secundaria",
            "language": "spa",
            "domain": "education_vocational",
            "target_date": target,
        },
    )
    assert r.status_code == 302
    g = Goal.objects.get()
    prefix = f"s{g.pk.hex[:8]}"
    r = client.post(
        f"/plans/goals/{g.pk}/steps/new/",
        {
            f"{prefix}-text": "Inscribirse en la clase de la tarde",
            f"{prefix}-assignee": "person",
            f"{prefix}-due_on": target,
        },
    )
    assert r.status_code == 302 and Step.objects.count() == 1
    r = client.post(
        f"/plans/person/{person.pk}/notes/new/",
        {
            "text": "Está muy motivada",
            "visibility": "care_team",
            "goal": str(g.pk),
        },
    )
    assert r.status_code == 302 and ProgressNote.objects.get().goal == g
    r = client.post(f"/plans/goals/{g.pk}/status/", {"status": "achieved"})
    g.refresh_from_db()
    assert g.status == "achieved"
    page = client.get(f"/plans/person/{person.pk}/").content.decode()
    assert "Quiero terminar la secundaria" in page and "Inscribirse en la clase" in page
    assert "Está muy motivada" in page


def test_a_bad_goal_shows_the_error_and_saves_nothing(personas, web):
    r = web(personas.navigator_a).post(
        f"/plans/person/{personas.survivor.pk}/goals/new/",
        {
            "text": "x",
            "language": "spa",
            "domain": "housing",
            "target_date": (timezone.localdate() - timedelta(days=2)).isoformat(),
        },
    )
    assert r.status_code == 422
    assert "The target date cannot be in the past." in r.content.decode()
    assert not Goal.objects.exists()


def test_goal_edit_page(personas, web):
    g = goal(personas)
    client = web(personas.navigator_a)
    assert "Quiero un lugar seguro" in client.get(f"/plans/goals/{g.pk}/edit/").content.decode()
    r = client.post(
        f"/plans/goals/{g.pk}/edit/",
        {
            "text": "Un apartamento cerca del trabajo",
            "language": "spa",
            "domain": "housing",
        },
    )
    assert r.status_code == 302
    page = client.get(f"/plans/person/{personas.survivor.pk}/").content.decode()
    assert "Un apartamento cerca del trabajo" in page


def test_printable_plan_is_in_the_persons_language(personas, web):
    g = goal(personas, text="Quiero un lugar seguro donde vivir con mi hija.")
    step(personas, g, text="Llenar la solicitud", due_in=3)
    page = (
        web(personas.navigator_a)
        .get(f"/plans/person/{personas.survivor.pk}/print/")
        .content.decode()
    )
    assert '<article lang="es"' in page
    assert "Mi plan" in page and "Vivienda" in page and "usted" in page
    assert "Quiero un lugar seguro donde vivir con mi hija." in page


def test_partner_with_plan_consent_reads_but_cannot_shape_the_plan(personas, lawyer_on_team, web):
    g = goal(personas)
    consent(personas, personas.legal, ["identity", "plan", "notes"])
    client = web(personas.lawyer_b)
    page = client.get(f"/plans/person/{personas.survivor.pk}/").content.decode()
    assert "Quiero un lugar seguro" in page and "Add a goal" not in page
    assert (
        client.post(
            f"/plans/person/{personas.survivor.pk}/goals/new/",
            {"text": "x", "domain": "housing", "language": "spa"},
        ).status_code
        == 404
    )
    assert client.post(f"/plans/goals/{g.pk}/status/", {"status": "stopped"}).status_code == 404
    assert client.get(f"/plans/goals/{g.pk}/edit/").status_code == 404
    assert client.get(f"/plans/person/{personas.survivor.pk}/print/").status_code == 404
    # A partner can add a progress note for the team.
    r = client.post(
        f"/plans/person/{personas.survivor.pk}/notes/new/",
        {"text": "Cita legal el lunes", "visibility": "care_team"},
    )
    assert r.status_code == 302 and ProgressNote.objects.get().agency == personas.legal
    g.refresh_from_db()
    assert g.status == "active"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/plans/person/{person}/"),
        ("get", "/plans/person/{person}/print/"),
        ("post", "/plans/person/{person}/goals/new/"),
        ("post", "/plans/person/{person}/notes/new/"),
        ("get", "/plans/goals/{goal}/edit/"),
        ("post", "/plans/goals/{goal}/status/"),
        ("post", "/plans/goals/{goal}/steps/new/"),
        ("post", "/plans/steps/{step}/status/"),
    ],
)
def test_outsider_gets_404_on_every_plan_page(personas, web, method, path):
    g = goal(personas)
    s = step(personas, g)
    url = path.format(person=personas.survivor.pk, goal=g.pk, step=s.pk)
    data = {"status": "done", "text": "x", "visibility": "care_team", "domain": "housing"}
    assert getattr(web(personas.outsider_c), method)(url, data).status_code == 404
    s.refresh_from_db()
    assert s.status == "open" and ProgressNote.objects.count() == 0 and Goal.objects.count() == 1


def test_the_plan_page_has_a_fixed_number_of_queries(personas, web, django_assert_max_num_queries):
    from wayfinder.plans.tests.factories import note

    client = web(personas.navigator_a)
    url = f"/plans/person/{personas.survivor.pk}/"
    g = goal(personas)
    step(personas, g)
    note(personas, goal=g)
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for i in range(4):
        more = goal(personas, text=f"Meta {i}")
        step(personas, more, text=f"Paso {i}")
        note(personas, text=f"Nota {i}", goal=more)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_newest_notes_show_and_the_older_fold_under_one_line(personas, web):
    import time_machine

    from wayfinder.plans.tests.factories import note

    g = goal(personas)
    start = timezone.now() - timedelta(days=30)
    for i in range(7):
        with time_machine.travel(start + timedelta(days=i), tick=False):
            note(personas, text=f"Nota {i}.", goal=g)
    client = web(personas.navigator_a)
    page = client.get(f"/plans/person/{personas.survivor.pk}/").content.decode()
    shown, folded = page.split('<details class="older-notes">')
    assert [f"Nota {i}." in shown for i in range(7)] == [False] * 2 + [True] * 5
    assert shown.index("Nota 6.") < shown.index("Nota 2.")
    assert "<summary>2 older notes</summary>" in folded
    assert "Nota 1." in folded and "Nota 0." in folded
    # The plan as a whole has none: its line says so, and nothing is folded there.
    assert "No notes on the plan as a whole." in page and page.count("older-notes") == 1
    page = client.get(
        f"/plans/person/{personas.survivor.pk}/", HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    assert "<summary>2 notas anteriores</summary>" in page
