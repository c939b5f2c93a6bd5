"""The share of completed referrals the person confirmed in the portal ("Did you get the help?")."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from wayfinder.referrals.models import Delivery, Referral, Status
from wayfinder.reports import measures as m
from wayfinder.reports import queries as q

from .factories import persons

pytestmark = pytest.mark.django_db

PERIOD = q.Period(date(2026, 1, 1), date(2026, 3, 31))


def referrals(personas, answers: list[str], *, status=Status.COMPLETED) -> None:
    sent = datetime(2026, 2, 2, 15, tzinfo=UTC)
    for person, answer in zip(persons(personas.lead, len(answers)), answers, strict=True):
        Referral.objects.create(
            person=person,
            sending_agency=personas.lead,
            recipient_agency=personas.legal,
            recipient_name=personas.legal.name,
            service_category="legal_immigration",
            delivery=Delivery.NETWORK,
            status=status,
            sent_at=sent,
            acknowledged_at=sent + timedelta(hours=3),
            closed_at=sent + timedelta(days=20),
            status_changed_at=sent + timedelta(days=20),
            last_activity_at=sent + timedelta(days=20),
            survivor_confirmation=answer,
        )


def confirmed():
    [stat] = q.referral_stats(m.BY_NAME["survivor_confirmed"], q.Scope(None), PERIOD).stats
    return stat


def test_the_share_counts_yes_among_completed_referrals(personas):
    # 24 completed: 12 yes, 4 partly, 2 no, 6 unanswered -> 12/24; open referrals don't count.
    referrals(personas, ["yes"] * 12 + ["partly"] * 4 + ["no"] * 2 + [""] * 6)
    referrals(personas, ["yes"] * 4, status=Status.IN_PROGRESS)
    stat = confirmed()
    assert stat.value == pytest.approx(0.5)
    assert stat.display == "50%"
    assert "24" in stat.base


def test_below_the_threshold_the_share_is_suppressed(personas):
    referrals(personas, ["yes"] * 5 + ["no"] * 2)  # 7 completed < 11
    assert confirmed().value is None
    # 11 yes of 15: the 4 others would be a small cell; the share is suppressed too.
    referrals(personas, ["yes"] * 6 + ["no"] * 2)
    stat = confirmed()
    assert stat.value is None and "73" not in stat.display


def test_the_dashboard_shows_it(personas, web):
    referrals(personas, ["yes"] * 11 + ["no"] * 11)
    html = web(personas.analyst).get("/reports/?start=2026-01-01&end=2026-03-31").content.decode()
    assert "Share the person confirmed" in html and "50%" in html
