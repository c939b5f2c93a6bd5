"""``ranking.rank``: hard filters exclude, soft scores order, ties break stably, reasons explain."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from wayfinder.directory.geo import miles
from wayfinder.matching import ranking
from wayfinder.matching.ranking import NeedProfile, rank

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
HOME = (41.849, -87.7157)  # 60623
WEIGHTS = {
    "language": 30,
    "distance": 20,
    "wait": 15,
    "trauma_informed": 10,
    "trafficking_specific": 10,
    "staff_gender": 8,
    "faith": 5,
}


def row(service_id="s1", **kw) -> dict:
    base = {
        "service_id": service_id,
        "category": "housing",
        "status": "active",
        "accepting_referrals": True,
        "location_id": f"loc-{service_id}",
        "latitude": HOME[0],
        "longitude": HOME[1],
        "minimum_age": None,
        "maximum_age": None,
        "available": None,
        "waitlist_days": None,
        "capacity_updated": None,
        "features": 0,
        "languages": None,
        "areas": None,
    }
    base.update(kw)
    return base


def rect(name, south, west, north, east):
    """A service area: one rectangular GeoJSON polygon (rings of (longitude, latitude))."""
    ring = [(west, south), (east, south), (east, north), (west, north), (west, south)]
    return (name, [[ring]])


WEST_SIDE = rect("West Side", 41.80, -87.80, 41.90, -87.65)  # holds HOME
NORTH_SHORE = rect("North Shore", 42.00, -87.80, 42.10, -87.60)  # does not


def profile(**kw) -> NeedProfile:
    return NeedProfile(categories=frozenset(kw.pop("categories", {"housing"})), as_of=NOW, **kw)


def ids(matches) -> list[str]:
    return [m.service_id for m in matches]


# --- hard filters ------------------------------------------------------------------------------


def test_category_status_and_accepting_referrals_are_hard_filters():
    rows = [
        row("ok"),
        row("other-category", category="medical"),
        row("closed", status="temporarily closed"),
        row("full", accepting_referrals=False),
    ]
    assert ids(rank(profile(), rows, WEIGHTS, 10)) == ["ok"]
    assert ids(rank(profile(require_accepting=False), rows, WEIGHTS, 10)) == ["full", "ok"]


def test_radius_excludes_far_sites_and_remote_services_only_when_asked():
    near = row("near", latitude=41.85, longitude=-87.70)  # ~0.8 mi
    far = row("far", latitude=42.05, longitude=-87.69)  # Evanston, ~14 mi
    remote = row("remote", latitude=None, longitude=None, location_id=None)
    p = profile(origin=HOME, radius_miles=5)
    assert set(ids(rank(p, [near, far, remote], WEIGHTS, 10))) == {"near", "remote"}
    p = profile(origin=HOME, radius_miles=5, include_remote=False)
    assert ids(rank(p, [near, far, remote], WEIGHTS, 10)) == ["near"]
    # Without an origin a radius cannot apply: nothing is excluded for distance.
    assert len(rank(profile(radius_miles=5), [near, far, remote], WEIGHTS, 10)) == 3


def test_age_limits_exclude_only_when_the_birth_year_rules_the_person_out():
    rows = [
        row("adults", minimum_age=18),
        row("youth", minimum_age=16, maximum_age=24),
        row("children", maximum_age=17),
    ]
    assert ids(rank(profile(age_range=(30, 31)), rows, WEIGHTS, 10)) == ["adults"]
    # Born in a year that makes them 17 or 18: the adults' service stays, with a note to check.
    result = rank(profile(age_range=(17, 18)), rows, WEIGHTS, 10)
    assert ids(result) == ["adults", "children", "youth"]
    adults = result[0]
    assert any(r.code == "check_age" for r in adults.reasons)
    # Age unknown: nothing is excluded, every age limit is shown as "check".
    result = rank(profile(), rows, WEIGHTS, 10)
    assert len(result) == 3 and all(any(r.code == "check_age" for r in m.reasons) for m in result)


def test_gender_limits_exclude_a_recorded_gender_outside_them():
    women = row("women-only", features=ranking.ONLY_WOMAN | ranking.ONLY_TRANSGENDER)
    men = row("men-only", features=ranking.ONLY_MAN)
    anyone = row("anyone")
    rows = [women, men, anyone]
    assert ids(rank(profile(gender="woman"), rows, WEIGHTS, 10)) == ["anyone", "women-only"]
    assert ids(rank(profile(gender="man"), rows, WEIGHTS, 10)) == ["anyone", "men-only"]
    # An identity the limits do not settle ("questioning") or an unknown one: kept, to check.
    for gender in ("questioning", ""):
        result = rank(profile(gender=gender), rows, WEIGHTS, 10)
        assert len(result) == 3
        men_only = next(m for m in result if m.service_id == "men-only")
        assert ranking.Reason("check_gender", "", None, ("man",)) in men_only.reasons


def test_a_service_area_excludes_a_person_outside_it_and_is_noted_when_the_place_is_unknown():
    rows = [
        row("inside", areas=(WEST_SIDE,)),
        row("outside", areas=(NORTH_SHORE,)),
        row("either", areas=(NORTH_SHORE, WEST_SIDE)),
        row("anywhere"),
    ]
    # Outside an area is excluded whatever the radius, and a site inside it does not help:
    # the area is where the person lives, not where the service is.
    matches = rank(profile(origin=HOME), rows, WEIGHTS)
    assert sorted(ids(matches)) == ["anywhere", "either", "inside"]
    notes = {m.service_id: [r for r in m.reasons if r.code == "in_area"] for m in matches}
    assert notes["inside"] == [ranking.Reason("in_area", "", None, "West Side")]
    assert notes["either"] == [ranking.Reason("in_area", "", None, "West Side")]
    assert notes["anywhere"] == []
    # No place known: nothing is excluded, and each limited service says "check the area".
    matches = rank(profile(), rows, WEIGHTS)
    assert sorted(ids(matches)) == ["anywhere", "either", "inside", "outside"]
    checks = {m.service_id: r.value for m in matches for r in m.reasons if r.code == "check_area"}
    assert checks == {
        "inside": ("West Side",),
        "outside": ("North Shore",),
        "either": ("North Shore", "West Side"),
    }


def test_serves_undocumented_is_a_hard_filter_when_asked():
    rows = [row("any"), row("undoc", features=ranking.SERVES_UNDOCUMENTED)]
    assert ids(rank(profile(require_undocumented=True), rows, WEIGHTS, 10)) == ["undoc"]


def test_one_result_per_service_measured_to_its_nearest_site_covering_every_matched_need():
    rows = [
        row("s1", latitude=41.95, longitude=-87.70, location_id="far-site"),
        row("s1", latitude=41.85, longitude=-87.71, location_id="near-site"),
        row("s1", category="medical", latitude=41.85, longitude=-87.71, location_id="near-site"),
    ]
    p = profile(categories={"housing", "medical"}, origin=HOME)
    [match] = rank(p, rows, WEIGHTS, 10)
    assert match.location_id == "near-site"
    assert match.categories == ("housing", "medical")
    assert match.distance_miles == round(miles(*HOME, 41.85, -87.71), 1)


# --- soft scores and reasons -------------------------------------------------------------------


def test_language_staff_beat_interpreter_beat_nothing_and_say_so():
    rows = [
        row("none", languages=0),
        row("interpreter", languages=0, features=ranking.INTERPRETER_AVAILABLE),
        row("second", languages=0b10),
        row("first", languages=0b01),
    ]
    result = rank(profile(languages=("spa", "eng")), rows, WEIGHTS, 10)
    assert ids(result) == ["first", "second", "interpreter", "none"]
    assert result[0].reasons[0] == ranking.Reason("speaks", "language", True, "spa")
    assert result[1].reasons[0] == ranking.Reason("speaks", "language", True, "eng")
    assert result[2].reasons[0] == ranking.Reason("interpreter", "language", True, "spa")
    assert result[3].reasons[0] == ranking.Reason("no_interpreter", "language", False, "spa")


def test_distance_wait_and_staleness():
    fresh = NOW - timedelta(days=2)
    stale = NOW - timedelta(days=30)
    rows = [
        row("open-now", available=3, capacity_updated=fresh),
        row("waitlist", waitlist_days=10, capacity_updated=fresh),
        row("stale-open", available=3, capacity_updated=stale),
        row("unknown"),
    ]
    result = rank(profile(), rows, WEIGHTS, 10)
    assert ids(result) == ["open-now", "waitlist", "stale-open", "unknown"]
    by_id = {m.service_id: m for m in result}
    assert ranking.Reason("waitlist", "wait", None, 10) in by_id["waitlist"].reasons
    assert ranking.Reason("capacity_stale", "", False, 30) in by_id["stale-open"].reasons
    assert by_id["stale-open"].components["wait"] == WEIGHTS["wait"] * 0.5


def test_preferences_for_staff_gender_and_faith():
    rows = [
        row("women-staff", features=ranking.STAFF_WOMEN),
        row("mixed-staff", features=ranking.STAFF_MIXED),
        row("men-staff-faith", features=ranking.STAFF_MEN | ranking.FAITH_BASED),
    ]
    result = rank(
        profile(staff_gender_preference="women", faith_preference="secular"), rows, WEIGHTS, 10
    )
    assert ids(result) == ["women-staff", "mixed-staff", "men-staff-faith"]
    assert ranking.Reason("faith_based", "faith", False) in result[2].reasons
    assert ranking.Reason("staff_gender", "staff_gender", False, "men") in result[2].reasons


def test_reasons_match_the_scores():
    """Every score that counts has one reason naming it; a reason that holds a service back
    belongs to a score below its full weight."""
    rows = [
        row(
            f"s{i}",
            latitude=HOME[0] + i * 0.01,
            features=i * 37 % (1 << 15),
            languages=[None, 0, 1, 2, 3][i % 5],
            available=i % 3 or None,
            waitlist_days=i % 4 * 7,
            capacity_updated=NOW - timedelta(days=i * 3),
        )
        for i in range(20)
    ]
    p = profile(
        languages=("spa", "eng"),
        origin=HOME,
        staff_gender_preference="women",
        faith_preference="secular",
    )
    for match in rank(p, rows, WEIGHTS, 20):
        scored = [r for r in match.reasons if r.score]
        assert sorted(r.score for r in scored) == sorted(match.components)
        for reason in scored:
            if reason.good is False:
                assert match.components[reason.score] < WEIGHTS[reason.score]
            if reason.good is True:
                assert match.components[reason.score] > 0
        assert match.score == round(sum(match.components.values()), 6)


def test_a_zero_weight_turns_a_score_and_its_reason_off():
    rows = [row("a", features=ranking.TRAUMA_INFORMED)]
    [match] = rank(profile(), rows, {**WEIGHTS, "trauma_informed": 0}, 10)
    assert "trauma_informed" not in match.components
    assert all(r.code != "trauma_informed" for r in match.reasons)


# --- order -------------------------------------------------------------------------------------


def test_ties_break_by_distance_then_service_id_whatever_the_input_order():
    rows = [
        row("b", latitude=41.86),
        row("a", latitude=41.86),
        row("c", latitude=41.85),
        row("d", latitude=None, longitude=None, location_id=None),
    ]
    # Equal scores (no distance weight): nearer first, then by id; unlocated last.
    weights = {**WEIGHTS, "distance": 0}
    expected = ["c", "a", "b", "d"]
    for seed in range(5):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        assert ids(rank(profile(origin=HOME), shuffled, weights, 10)) == expected
    assert ids(rank(profile(origin=HOME), rows, weights, 2)) == ["c", "a"]


def test_limit_zero_and_no_candidates():
    assert rank(profile(), [row()], WEIGHTS, 0) == []
    assert rank(profile(), [], WEIGHTS, 10) == []


# --- property: nothing returned breaks a hard filter -------------------------------------------

CATEGORIES = ["housing", "medical", "legal_civil"]
GENDERS = ["woman", "man", "non_binary", "transgender", "questioning", ""]

rows_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "service_id": st.sampled_from([f"s{i}" for i in range(12)]),
            "category": st.sampled_from(CATEGORIES),
            "status": st.sampled_from(["active", "inactive", "temporarily closed"]),
            "accepting_referrals": st.booleans(),
            "location_id": st.sampled_from(["l1", "l2", None]),
            "latitude": st.one_of(st.none(), st.floats(41.6, 42.1)),
            "longitude": st.one_of(st.none(), st.floats(-88.0, -87.5)),
            "minimum_age": st.one_of(st.none(), st.integers(0, 30)),
            "maximum_age": st.one_of(st.none(), st.integers(10, 99)),
            "available": st.one_of(st.none(), st.integers(0, 5)),
            "waitlist_days": st.one_of(st.none(), st.integers(0, 120)),
            "capacity_updated": st.one_of(
                st.none(), st.integers(0, 60).map(lambda d: NOW - timedelta(days=d))
            ),
            "features": st.integers(0, (1 << 15) - 1),
            "languages": st.one_of(st.none(), st.integers(0, 7)),
            "areas": st.sampled_from(
                [None, (WEST_SIDE,), (NORTH_SHORE,), (NORTH_SHORE, WEST_SIDE)]
            ),
        }
    ),
    max_size=40,
)
profiles_strategy = st.builds(
    NeedProfile,
    categories=st.frozensets(st.sampled_from(CATEGORIES), min_size=1),
    as_of=st.just(NOW),
    age_range=st.one_of(st.none(), st.integers(10, 80).map(lambda a: (a, a + 1))),
    gender=st.sampled_from(GENDERS),
    languages=st.sampled_from([(), ("spa",), ("spa", "eng"), ("vie", "eng", "fra")]),
    staff_gender_preference=st.sampled_from(["", "women", "men"]),
    faith_preference=st.sampled_from(["", "secular", "faith_based"]),
    origin=st.sampled_from([None, HOME, (42.05, -87.7)]),  # West Side, North Shore
    radius_miles=st.one_of(st.none(), st.floats(1, 30)),
    require_accepting=st.booleans(),
    require_undocumented=st.booleans(),
    include_remote=st.booleans(),
)


def _violates(p: NeedProfile, r: dict, match: ranking.Match) -> list[str]:
    """Each hard filter checked on its own, from the raw row (not through ``passes``)."""
    broken = []
    if r["category"] not in p.categories:
        broken.append("category")
    if r["status"] != "active":
        broken.append("status")
    if p.require_accepting and not r["accepting_referrals"]:
        broken.append("accepting")
    if p.origin and p.radius_miles is not None:
        if r["latitude"] is None or r["longitude"] is None:
            if not p.include_remote:
                broken.append("remote")
        elif miles(*p.origin, r["latitude"], r["longitude"]) > p.radius_miles:
            broken.append("radius")
    if p.age_range:
        if r["minimum_age"] is not None and p.age_range[1] < r["minimum_age"]:
            broken.append("too young")
        if r["maximum_age"] is not None and p.age_range[0] > r["maximum_age"]:
            broken.append("too old")
    limits = r["features"] & ranking.ANY_GENDER_LIMIT
    if p.gender in ("woman", "man", "non_binary") and limits:  # noqa: SIM102 - reads as the rule
        if not limits & ranking.GENDER_BITS[p.gender]:
            broken.append("gender")
    if p.require_undocumented and not r["features"] & ranking.SERVES_UNDOCUMENTED:
        broken.append("undocumented")
    if p.origin and r["areas"]:
        lat, lng = p.origin
        boxes = [ring for _name, polygons in r["areas"] for [ring] in polygons]
        if not any(
            ring[0][1] <= lat <= ring[2][1] and ring[0][0] <= lng <= ring[2][0] for ring in boxes
        ):
            broken.append("service area")
    return broken


@settings(max_examples=300, deadline=None)
@given(p=profiles_strategy, rows=rows_strategy, limit=st.integers(0, 15))
def test_no_result_violates_a_hard_filter(p, rows, limit):
    result = rank(p, rows, WEIGHTS, limit)
    assert len(result) <= limit
    assert len({m.service_id for m in result}) == len(result)
    for match in result:
        # The site it was measured to, for each category it claims, is a row that passes.
        for category in match.categories:
            backing = [
                r
                for r in rows
                if r["service_id"] == match.service_id
                and r["category"] == category
                and not _violates(p, r, match)
            ]
            assert backing, f"{match.service_id}/{category} breaks a hard filter"
    scores = [(-m.score) for m in result]
    assert scores == sorted(scores)


# --- property: pruning by the ceiling changes nothing ------------------------------------------


@settings(max_examples=300, deadline=None)
@given(p=profiles_strategy, rows=rows_strategy, limit=st.integers(1, 15))
def test_the_ceiling_is_never_below_the_score_and_pruning_changes_nothing(p, rows, limit):
    for r in rows:
        distance = ranking._distance(p, r)
        total, _parts = ranking._assess(p, r, distance, WEIGHTS, None)
        assert ranking._ceiling(p, r, distance, WEIGHTS) + ranking.CEILING_MARGIN >= total
    # A negative weight turns pruning off (every service scored): the same results.
    every = rank(p, rows, {**WEIGHTS, "unused": -1}, limit)
    assert rank(p, rows, WEIGHTS, limit) == every
