"""Reports are aggregate; the retention purge blanks trainees' identities and keeps every figure."""

from __future__ import annotations

from datetime import date, timedelta

import time_machine
from django.core.management import call_command
from django.utils import timezone

from wayfinder.prevention import actions, reports
from wayfinder.prevention.models import HelpVisit, LinkCode, Registration
from wayfinder.prevention.tests.factories import campaign, course, session, trainer
from wayfinder.prevention.tests.test_knowledge import answers


def build(actor):
    c = course(actor)
    old = session(actor, course=c, capacity=2, starts_at=timezone.now() + timedelta(days=1))
    regs = [
        actions.register(
            old, name=f"Old {n}", email=f"o{n}@example.org", organisation="Org", sector=sector
        )
        for n, sector in enumerate(["health_care", "education", "education"])
    ]
    actions.take_attendance(old, actor=actor, present_ids=[regs[0].pk, regs[1].pk])
    for r, (pre, post) in zip(regs[:2], [(2, 5), (3, 6)], strict=True):
        actions.record_check(r, actor=actor, phase="pre", answers=answers(pre))
        actions.record_check(r, actor=actor, phase="post", answers=answers(post))
    camp = campaign(actor)
    actions.record_outreach(
        camp,
        actor=actor,
        date=date(2026, 2, 1),
        zip_code="60623",
        audience="migrant_workers",
        language="es",
        people_reached=40,
    )
    actions.record_outreach(
        camp,
        actor=actor,
        date=date(2026, 2, 8),
        zip_code="60608",
        audience="migrant_workers",
        language="es",
        people_reached=25,
    )
    link = actions.add_link_code(camp, actor=actor, code="BUS1")
    actions.count_help_visit(link)
    actions.count_help_visit(link)
    return old


def figures(agency):
    return [(t.name, t.rows) for t in reports.all_tables(agency)]


def test_the_reports_count_people_gain_reach_and_visits(db):
    actor = trainer()
    build(actor)
    tables = {t.name: t for t in reports.all_tables(actor.agency)}
    quarter = reports.quarter_of(timezone.now() + timedelta(days=1))
    assert tables["trained"].rows == [
        [quarter, "Look beneath the surface", "Education", 1, 1, 1],
        [quarter, "Look beneath the surface", "Health care", 1, 1, 1],
    ]  # the waitlisted third trainee is not counted
    assert tables["knowledge"].rows == [["Look beneath the surface", 2, 41.7, 91.7, 50.0]]
    assert tables["campaigns"].rows == [["Bus shelter posters", "Migrant workers", "es", 2, 65]]
    assert tables["visits"].rows[0] == ["Bus shelter posters", "BUS1", 2]


def test_the_purge_blanks_identities_after_the_retention_and_keeps_every_figure(db, settings):
    settings.WAYFINDER_TRAINEE_RETENTION_DAYS = 30
    actor = trainer()
    build(actor)
    recent = session(actor, starts_at=timezone.now() + timedelta(days=60))
    before = figures(actor.agency)
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        actions.register(
            recent, name="New", email="new@example.org", organisation="", sector="youth"
        )
        call_command("purge_trainees")
    purged = Registration.objects.exclude(purged_at=None)
    assert purged.count() == 3
    assert set(purged.values_list("name", "email", "organisation")) == {("", "", "")}
    assert Registration.objects.get(session=recent).name == "New"  # not yet due
    old = Registration.objects.exclude(purged_at=None).first().session
    actions.take_attendance(old, actor=actor, present_ids=[])  # saving attendance again later
    after = [(name, rows) for name, rows in figures(actor.agency)]
    # the new registration is in the trained table only; remove it and compare
    assert [t for t in after if t[0] != "trained"] == [t for t in before if t[0] != "trained"]
    trained_after = dict(after)["trained"]
    assert [r for r in trained_after if r[2] != "Youth"] == dict(before)["trained"]


def test_the_reports_page_and_csv_are_for_trainers_only(client, login, db):
    actor = trainer()
    build(actor)
    login(actor.user)
    page = client.get("/prevention/reports/")
    assert page.status_code == 200
    assert "Old 0" not in page.content.decode()
    csv = client.get("/prevention/reports/campaigns.csv")
    assert csv.headers["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines() == [
        "Campaign,Audience,Language,Events,People reached",
        "Bus shelter posters,Migrant workers,es,2,65",
    ]
    assert client.get("/prevention/reports/nothing.csv").status_code == 404


def test_help_visits_keep_counting_on_the_same_day_row(db):
    link = LinkCode.objects.create(code="ABC", campaign=campaign())
    for _ in range(3):
        actions.count_help_visit(link)
    actions.count_help_visit(None)
    assert list(HelpVisit.objects.values_list("code__code", "count").order_by("code__code")) in (
        [(None, 1), ("ABC", 3)],
        [("ABC", 3), (None, 1)],
    )
