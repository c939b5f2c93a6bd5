"""Small builders for the prevention tests (through the real actions)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from wayfinder.accounts.models import Agency, Role
from wayfinder.core.testing import staff
from wayfinder.prevention import actions
from wayfinder.prevention.models import Campaign, Course, TrainingSession


def trainer(agency: Agency | None = None, email: str = "trainer@example.org"):
    from wayfinder.accounts.actions import create_agency
    from wayfinder.accounts.actor import actor_for
    from wayfinder.accounts.models import AgencyKind

    agency = (
        agency
        or Agency.objects.filter(name="Training Alliance").first()
        or create_agency(actor=None, name="Training Alliance", kind=AgencyKind.LEAD)
    )
    user = staff(agency, email, Role.TRAINER, "Tess Trainer")
    return actor_for(user, agency, ip="127.0.0.1")


def course(actor=None, title: str = "Look beneath the surface") -> Course:
    actor = actor or trainer()
    return actions.create_course(
        actor=actor,
        title=title,
        level="soar_individuals",
        objectives="Name the red flags\nRespond with care",
        duration_minutes=90,
    )


def session(
    actor=None, *, capacity: int = 10, starts_at: datetime | None = None, **kw
) -> TrainingSession:
    actor = actor or trainer()
    return actions.create_session(
        actor=actor,
        course=kw.pop("course", None) or course(actor),
        starts_at=starts_at or timezone.now() + timedelta(days=7),
        sector=kw.pop("sector", "health_care"),
        language=kw.pop("language", "en"),
        capacity=capacity,
        place=kw.pop("place", "Room 2, City Hall"),
        **kw,
    )


def campaign(actor=None, **kw) -> Campaign:
    actor = actor or trainer()
    return actions.create_campaign(
        actor=actor,
        name=kw.pop("name", "Bus shelter posters"),
        audiences=kw.pop("audiences", ["migrant_workers"]),
        channels=kw.pop("channels", ["print"]),
        languages=kw.pop("languages", ["en", "es"]),
        starts_on=kw.pop("starts_on", date(2026, 1, 5)),
        **kw,
    )
