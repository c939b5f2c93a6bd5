"""Paired protective-factor change against a hand-computed fixture."""

from __future__ import annotations

from datetime import date

import pytest

from wayfinder.reports import queries as q
from wayfinder.reports.tests.factories import persons, session

pytestmark = pytest.mark.django_db

# Brief Resilience Scale, per person: sessions in date order (hand-computed below).
BRS = [
    [2.0, 3.5],  # +1.5 improved
    [3.0, 3.0],  # 0
    [4.0, 2.5],  # -1.5
    [1.5, 4.5],  # +3.0 improved
    [3.0, 3.5],  # +0.5 improved
    [2.0, 5.0, 1.5],  # first 2.0, latest 1.5: -0.5 (the middle session does not count)
    [4.0],  # one assessment: excluded, counted
]
# mean change = (1.5 + 0 - 1.5 + 3.0 + 0.5 - 0.5) / 6 = 0.5; improved 3 of 6 = 50 %


@pytest.fixture
def scores(personas):
    people = persons(personas.survivor.owner_agency, len(BRS))
    for person, values in zip(people, BRS, strict=True):
        for k, v in enumerate(values):
            session(person, date(2026, 1 + k, 10), brs=v)
    # One protective factor for two persons: not_yet -> present (improved), partly -> partly.
    session(
        people[0], date(2026, 1, 11), kind="protective_factors", answers={"role_models": "not_yet"}
    )
    session(
        people[0], date(2026, 5, 11), kind="protective_factors", answers={"role_models": "present"}
    )
    session(
        people[1], date(2026, 1, 11), kind="protective_factors", answers={"role_models": "partly"}
    )
    session(
        people[1], date(2026, 5, 11), kind="protective_factors", answers={"role_models": "partly"}
    )
    return people


def test_pairs_first_and_latest_and_counts_the_single(scores):
    pairs, single = q.paired_scores(q.Scope(None), date(2026, 12, 31))
    changes = sorted(p.latest - p.first for p in pairs["brs"])
    assert changes == [-1.5, -0.5, 0.0, 0.5, 1.5, 3.0]
    assert single == {"brs": 1}
    assert sorted((p.first, p.latest) for p in pairs["role_models"]) == [(0, 2), (1, 1)]


def test_mean_change_and_share_improved(scores, settings):
    settings.WAYFINDER_REPORT_THRESHOLD = 3
    _figure, rows = q.protective_change(
        q.Scope(None), q.Period(date(2026, 1, 1), date(2026, 12, 31))
    )
    brs = next(r for r in rows if r.factor == "brs")
    assert brs.persons == "6"
    assert brs.excluded == "<3"
    assert brs.mean_change == 0.5
    assert brs.share_improved == 0.5
    # Two persons paired on role models: under the threshold, so mean and share are suppressed.
    role = next(r for r in rows if r.factor == "role_models")
    assert role.persons == "<3" and role.mean_change is None and role.share_improved is None


def test_with_the_default_threshold_everything_here_is_suppressed(scores):
    _figure, rows = q.protective_change(
        q.Scope(None), q.Period(date(2026, 1, 1), date(2026, 12, 31))
    )
    brs = next(r for r in rows if r.factor == "brs")
    assert brs.persons == "<11" and brs.mean_change is None and brs.share_improved is None


def test_sessions_after_the_period_are_left_out(scores):
    pairs, single = q.paired_scores(q.Scope(None), date(2026, 1, 31))
    assert "brs" not in pairs and single["brs"] == 7
