"""Paired protective-factor change against a hand-computed fixture, and against a plain Python
pairing of the same rows for any sittings (the database does the pairing: ``paired_change``)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wayfinder.accounts.actions import create_agency
from wayfinder.accounts.models import AgencyKind
from wayfinder.assessments.models import Answer
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
    changes = q.paired_change(q.Scope(None), date(2026, 12, 31))
    # 1.5 + 0 - 1.5 + 3.0 + 0.5 - 0.5; three improved; one person with a single sitting
    assert changes["brs"] == q.PairedChange(paired=6, single=1, total_change=3.0, improved=3)
    # not_yet -> present (+2, improved), partly -> partly (0)
    assert changes["role_models"] == q.PairedChange(
        paired=2, single=0, total_change=2.0, improved=1
    )


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
    changes = q.paired_change(q.Scope(None), date(2026, 1, 31))
    assert changes["brs"] == q.PairedChange(paired=0, single=7, total_change=0.0, improved=0)


def test_two_sittings_on_one_day_are_taken_in_the_order_they_were_recorded(personas):
    """Not by their values: 4.0 then 2.0 the same day is a fall of 2, not a rise."""
    agency = create_agency(actor=None, name="Same-day agency", kind=AgencyKind.LEAD)
    [person] = persons(agency, 1)
    session(person, date(2026, 3, 1), brs=4.0)
    session(person, date(2026, 3, 1), brs=2.0)
    assert q.paired_change(q.Scope(agency), date(2026, 3, 1))["brs"] == q.PairedChange(
        paired=1, single=0, total_change=-2.0, improved=0
    )


def _paired_in_python(scope: q.Scope, end: date) -> dict[str, q.PairedChange]:
    """The pairing as plain Python over every point (what the dashboard did before the database
    did it): each person's points sorted by date, time recorded and value; first against last."""
    series: dict[tuple[str, object], list[tuple]] = {}
    for source in q._score_points(scope, end):
        for p in source:
            series.setdefault((p["factor"], p["person"]), []).append(
                (p["on"], p["created"], p["v"])
            )
    found: dict[str, q.PairedChange] = {}
    for (factor, _person), points in series.items():
        points.sort()
        c = found.get(factor, q.PairedChange())
        if len(points) == 1:
            found[factor] = q.PairedChange(c.paired, c.single + 1, c.total_change, c.improved)
        else:
            first, latest = points[0][2], points[-1][2]
            found[factor] = q.PairedChange(
                c.paired + 1,
                c.single,
                c.total_change + latest - first,
                c.improved + (latest > first),
            )
    return found


BRS_VALUES = st.sampled_from([1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, None])
FACTOR_ANSWERS = st.sampled_from(["present", "partly", "not_yet", "other", None])
# Per person, sittings as (days after the first of January, BRS, a protective-factor answer):
# several on one day (ordered by when they were recorded), scores missing, answers not scored.
AGENCY_NUMBER = itertools.count()
SITTINGS = st.lists(
    st.lists(st.tuples(st.integers(0, 6), BRS_VALUES, FACTOR_ANSWERS), max_size=4), max_size=5
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=SITTINGS, end_day=st.integers(0, 8))
def test_the_database_pairs_as_python_would(personas, people, end_day):
    agency = create_agency(actor=None, name=f"Agency {next(AGENCY_NUMBER)}", kind=AgencyKind.LEAD)
    start = date(2026, 1, 1)
    for person, sittings in zip(persons(agency, len(people)), people, strict=True):
        for day, brs, answer in sittings:
            s = session(person, start + timedelta(days=day), brs=brs)
            if answer is not None:
                Answer.objects.create(session=s, item_id="awareness", value=answer)
    scope, end = q.Scope(agency), start + timedelta(days=end_day)
    got = q.paired_change(scope, end)
    want = _paired_in_python(scope, end)
    assert set(got) == set(want)
    for factor, c in want.items():
        assert (got[factor].paired, got[factor].single, got[factor].improved) == (
            c.paired,
            c.single,
            c.improved,
        )
        assert got[factor].total_change == pytest.approx(c.total_change)
