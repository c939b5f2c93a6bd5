"""Trainer pages: only trainers of the agency; no person record; certificate on completion."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wayfinder.core.errors import CodedError
from wayfinder.prevention import actions
from wayfinder.prevention.models import LinkCode, Material, OutreachEvent, TrainingSession
from wayfinder.prevention.tests.factories import campaign, course, session, trainer
from wayfinder.prevention.tests.test_knowledge import answers


@pytest.fixture
def actor(db):
    return trainer()


def test_outsiders_and_casework_staff_get_a_404(client, login, personas, actor):
    s = session(actor)
    c = campaign(actor)
    for user in (personas.navigator_a, personas.outsider_c, personas.analyst):
        login(user)
        for url in (
            "/prevention/",
            f"/prevention/sessions/{s.pk}/",
            f"/prevention/campaigns/{c.pk}/",
            "/prevention/reports/",
        ):
            assert client.get(url).status_code == 404, (user, url)
    client.logout()
    assert client.get("/prevention/").status_code == 302  # to sign in


def test_a_trainer_of_another_agency_sees_neither_roster_nor_campaign(client, login, actor):
    from wayfinder.accounts.actions import create_agency
    from wayfinder.accounts.models import AgencyKind

    s, c = session(actor), campaign(actor)
    other = trainer(
        create_agency(actor=None, name="Other", kind=AgencyKind.HEALTH), "o@example.org"
    )
    login(other.user)
    assert client.get(f"/prevention/sessions/{s.pk}/").status_code == 404
    assert client.get(f"/prevention/campaigns/{c.pk}/").status_code == 404
    assert client.get("/prevention/").status_code == 200


def test_the_nav_shows_prevention_to_trainers_only(client, login, personas, actor):
    login(actor.user)
    assert 'href="/prevention/"' in client.get("/prevention/").content.decode()
    login(personas.navigator_a)
    assert 'href="/prevention/"' not in client.get("/").content.decode()


def test_a_trainer_creates_a_session_takes_attendance_records_checks_and_prints(
    client, login, actor
):
    c = course(actor)
    login(actor.user)
    starts = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/prevention/sessions/new/",
        {
            "course": c.pk,
            "starts_at": starts,
            "place": "Library",
            "sector": "education",
            "language": "es",
            "capacity": 12,
        },
    )
    s = TrainingSession.objects.get()
    assert (
        response.status_code == 302
        and response.headers["Location"] == f"/prevention/sessions/{s.pk}/"
    )
    r = actions.register(
        s, name="Ana Ruiz", email="ana@example.org", organisation="School", sector="education"
    )
    page = client.get(f"/prevention/sessions/{s.pk}/").content.decode()
    assert "Ana Ruiz" in page and f"/training/{s.pk}/" in page
    client.post(f"/prevention/sessions/{s.pk}/attendance/", {"present": [r.pk]})
    pre = client.post(f"/prevention/registrations/{r.pk}/check/pre/", answers(2))
    assert pre.status_code == 302
    incomplete = client.post(
        f"/prevention/registrations/{r.pk}/check/post/", {"k_forms": "sex_only"}
    )
    assert incomplete.status_code == 422
    client.post(f"/prevention/registrations/{r.pk}/check/post/", answers(6))
    r.refresh_from_db()
    assert (r.attended, r.pre_score, r.post_score) == (True, 33.3, 100.0)
    issued = client.post(f"/prevention/registrations/{r.pk}/certificate/")
    assert issued.headers["Location"] == f"/prevention/registrations/{r.pk}/certificate/print/"
    cert = client.get(issued.headers["Location"]).content.decode()
    r.refresh_from_db()
    assert "Ana Ruiz" in cert and r.certificate_number in cert and "data-print" in cert


def test_no_certificate_without_attendance_and_the_post_check(client, login, actor):
    s = session(actor)
    r = actions.register(s, name="Ben", email="ben@example.org", organisation="", sector="youth")
    actions.record_check(r, actor=actor, phase="post", answers=answers(5))
    with pytest.raises(CodedError):
        actions.issue_certificate(r, actor=actor)
    login(actor.user)
    client.post(f"/prevention/registrations/{r.pk}/certificate/")
    assert client.get(f"/prevention/registrations/{r.pk}/certificate/print/").status_code == 404


def test_campaign_materials_need_alt_text_for_images_and_codes_give_a_qr_svg(client, login, actor):
    c = campaign(actor)
    png = SimpleUploadedFile("poster.png", b"\x89PNG fake", content_type="image/png")
    with pytest.raises(CodedError) as exc:
        actions.add_material(actor=actor, campaign=c, file=png, title="Poster", language="es")
    assert exc.value.code == "alt_text_required"
    login(actor.user)
    png.seek(0)
    client.post(
        f"/prevention/campaigns/{c.pk}/",
        {
            "form": "material",
            "title": "Poster",
            "file": png,
            "language": "es",
            "alt_text": "A bus stop poster with the hotline number",
        },
    )
    material = Material.objects.get()
    assert (material.language, material.campaign) == ("es", c)
    client.post(
        f"/prevention/campaigns/{c.pk}/", {"form": "code", "code": "bus7", "material": material.pk}
    )
    link = LinkCode.objects.get()
    assert (link.code, link.material) == ("BUS7", material)
    svg = client.get(f"/prevention/campaigns/{c.pk}/qr/BUS7.svg")
    assert svg.headers["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    taken = client.post(f"/prevention/campaigns/{c.pk}/", {"form": "code", "code": "BUS7"})
    assert taken.status_code == 422 and "already used" in taken.content.decode()
    client.post(
        f"/prevention/campaigns/{c.pk}/",
        {
            "form": "outreach",
            "date": "2026-03-01",
            "zip_code": "60623",
            "audience": "migrant_workers",
            "language": "es",
            "people_reached": 30,
            "materials_count": 50,
        },
    )
    event = OutreachEvent.objects.get()
    assert (event.zip_code, event.people_reached) == ("60623", 30)
    bad_zip = client.post(
        f"/prevention/campaigns/{c.pk}/",
        {
            "form": "outreach",
            "date": "2026-03-01",
            "zip_code": "Chicago",
            "audience": "other",
            "language": "en",
            "people_reached": 1,
            "materials_count": 0,
        },
    )
    assert bad_zip.status_code == 422 and OutreachEvent.objects.count() == 1


def test_a_course_with_objectives_and_materials(client, login, actor):
    login(actor.user)
    response = client.post(
        "/prevention/courses/new/",
        {
            "title": "Red flags at work",
            "level": "own",
            "objectives": "One\nTwo",
            "duration_minutes": 60,
        },
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).content.decode()
    assert "Red flags at work" in page and "<li>Two</li>" in page


def test_a_trainer_at_the_survivors_own_agency_still_sees_no_person(client, login, personas):
    """The gate keeps trainers out of every record; prevention gives them nothing that opens one."""
    actor = trainer(personas.lead, "lead.trainer@example.org")
    login(actor.user)
    assert client.get("/prevention/").status_code == 200
    assert client.get(f"/people/{personas.survivor.pk}/").status_code == 404
    assert personas.survivor.pseudonym not in client.get("/prevention/").content.decode()
