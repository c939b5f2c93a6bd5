"""Golden rankings: what matching returns for a seeded directory, pinned byte for byte.

A directory of 1,200 seeded services (two in five around Chicago, some with two sites, service
areas, gender and age limits, staff languages, stale and missing capacity, some not accepting)
is searched with fixed and seeded profiles (a 25-mile radius, statewide, no place, languages,
preferences, ages, genders, undocumented, remote excluded, not accepting, other weights and
limits). Every result's id, order, score, distance, site, categories, weighted components and
reasons (their ``repr``) must equal ``golden_ranking.json``, which was written by the ranking as
it was before it was made faster. A speed-up that changes any of it fails here.

To rewrite the file after a deliberate change of the ranking (say why in the commit):
``WAYFINDER_WRITE_GOLDEN=1 .venv/bin/python -m pytest wayfinder/matching/tests/test_golden.py``.
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from wayfinder.directory import taxonomy
from wayfinder.directory.index import reindex_all
from wayfinder.directory.models import (
    Attribute,
    Language,
    Location,
    Organization,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCapacity,
)
from wayfinder.directory.taxonomy import Feature, category_term_id, feature_term_id
from wayfinder.matching import queries, ranking

GOLDEN = Path(__file__).with_name("golden_ranking.json")
AS_OF = datetime(2026, 6, 1, 15, 30, tzinfo=UTC)
CATEGORIES = ["housing", "legal_civil", "medical", "crisis_intervention"]
LANGUAGES = ["eng", "spa", "vie", "ara", "pol", "quc", "cmn"]
CHICAGO = (41.8781, -87.6298)
SPRINGFIELD = (39.7817, -89.6501)
WEIGHTS = {
    "language": 30,
    "distance": 20,
    "wait": 15,
    "trauma_informed": 10,
    "trafficking_specific": 10,
    "staff_gender": 8,
    "faith": 5,
}


def _seed(n: int = 1200) -> None:
    rng = random.Random(16_04)
    booleans = [f.value for f in Feature if f != Feature.STAFF_GENDER]
    org = Organization.objects.create(id="golden-org", name="Golden", description="Golden")
    services, locations, sites, attributes, langs, capacities, areas = [], [], [], [], [], [], []
    for i in range(n):
        sid = f"g{i:05d}"
        services.append(
            Service(
                id=sid,
                name=f"Service {i}",
                organization=org,
                status="active" if rng.random() > 0.05 else "inactive",
                minimum_age=rng.choice([None, None, None, 18, 16]),
                maximum_age=rng.choice([None, None, None, None, 24, 17]),
            )
        )
        for k in range(rng.choice([0, 1, 1, 1, 1, 1, 1, 2])):
            if rng.random() < 0.4:
                lat, lng = rng.gauss(41.88, 0.15), rng.gauss(-87.70, 0.15)
            else:
                lat, lng = rng.uniform(37.0, 42.5), rng.uniform(-91.5, -87.5)
            lid = f"l{i:05d}{k}"
            locations.append(Location(id=lid, latitude=lat, longitude=lng))
            sites.append(ServiceAtLocation(id=f"a{i:05d}{k}", service_id=sid, location_id=lid))
        for c in rng.sample(CATEGORIES, rng.choice([1, 1, 2, 3])):
            attributes.append((sid, category_term_id(c), ""))
        for f in rng.sample(booleans, rng.randint(0, 4)):
            attributes.append((sid, feature_term_id(f), "true"))
        if rng.random() < 0.5:
            staff = rng.choice(["women", "men", "mixed"])
            attributes.append((sid, feature_term_id(Feature.STAFF_GENDER), staff))
        if rng.random() < 0.1:
            for g in rng.sample(list(taxonomy.GENDERS), rng.randint(1, 2)):
                attributes.append((sid, taxonomy.gender_term_id(g), ""))
        if rng.random() < 0.08:
            attributes.append((sid, taxonomy.FAITH_BASED_TERM_ID, "true"))
        if rng.random() < 0.9:
            spoken = rng.sample(LANGUAGES, rng.randint(1, 3))
            langs += [Language(id=f"{sid}-{c}", service_id=sid, code=c) for c in spoken]
        if rng.random() < 0.05:
            south, west = rng.uniform(41.6, 41.9), rng.uniform(-87.9, -87.6)
            ring = [[west, south], [west + 0.3, south], [west + 0.3, south + 0.3], [west, south]]
            areas.append(
                ServiceArea(
                    id=f"sa{i:05d}",
                    service_id=sid,
                    name=rng.choice(["", f"Area {i}"]),
                    extent=json.dumps({"type": "Polygon", "coordinates": [ring]}),
                    extent_type="geojson",
                )
            )
        if rng.random() < 0.85:
            capacities.append(
                ServiceCapacity(
                    id=f"c{i:05d}",
                    service_id=sid,
                    available=rng.choice([None, 0, 1, 3, 10]),
                    waitlist_days=rng.choice([None, 0, 7, 30, 90]),
                    accepting_referrals=rng.random() > 0.2,
                    updated=AS_OF - timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 23)),
                )
            )
    Service.objects.bulk_create(services)
    Location.objects.bulk_create(locations)
    ServiceAtLocation.objects.bulk_create(sites)
    Attribute.objects.bulk_create(
        Attribute(id=f"at{k:06d}", link_id=sid, link_entity="service", taxonomy_term_id=t, value=v)
        for k, (sid, t, v) in enumerate(attributes)
    )
    Language.objects.bulk_create(langs)
    ServiceArea.objects.bulk_create(areas)
    ServiceCapacity.objects.bulk_create(capacities)
    reindex_all()


def _profiles() -> list[tuple[str, ranking.NeedProfile, dict, int]]:
    """(name, profile, weights, limit) for every search pinned."""
    base = ranking.NeedProfile(categories=frozenset({"housing"}), as_of=AS_OF)
    fixed = [
        ("radius_chicago_full", replace(base, origin=CHICAGO, radius_miles=25.0, age_range=(25, 26), gender="woman", languages=("spa", "eng"), staff_gender_preference="women", faith_preference="secular")),
        ("radius_chicago_plain", replace(base, origin=CHICAGO, radius_miles=25.0)),
        ("radius_springfield_50", replace(base, origin=SPRINGFIELD, radius_miles=50.0, languages=("vie",))),
        ("radius_no_remote", replace(base, origin=CHICAGO, radius_miles=10.0, include_remote=False)),
        ("statewide_chicago", replace(base, origin=CHICAGO, languages=("spa", "eng"))),
        ("statewide_springfield", replace(base, origin=SPRINGFIELD, categories=frozenset({"medical", "legal_civil"}), faith_preference="faith_based")),
        ("no_place", replace(base, languages=("ara", "eng", "pol", "quc", "cmn"))),
        ("no_place_nothing_known", base),
        ("languages_quc", replace(base, origin=CHICAGO, radius_miles=25.0, languages=("quc",))),
        ("teen_non_binary", replace(base, origin=CHICAGO, radius_miles=25.0, age_range=(17, 18), gender="non_binary", staff_gender_preference="men")),
        ("transgender_statewide", replace(base, origin=CHICAGO, gender="transgender", age_range=(15, 16))),
        ("undocumented", replace(base, origin=CHICAGO, radius_miles=25.0, require_undocumented=True, languages=("spa",))),
        ("not_accepting_too", replace(base, origin=CHICAGO, radius_miles=25.0, require_accepting=False)),
        ("all_categories_statewide", replace(base, origin=CHICAGO, categories=frozenset(CATEGORIES), languages=("eng",))),
        ("scale_10", replace(base, origin=CHICAGO, distance_scale_miles=10.0, stale_after_days=7)),
    ]  # fmt: skip
    cases = [(name, p, WEIGHTS, 10) for name, p in fixed]
    cases += [
        ("limit_3", fixed[0][1], WEIGHTS, 3),
        ("limit_0", fixed[0][1], WEIGHTS, 0),
        ("limit_60", fixed[4][1], WEIGHTS, 60),
        ("distance_only", fixed[0][1], {"distance": 30}, 10),
        ("no_language_weight", fixed[0][1], {**WEIGHTS, "language": 0, "wait": 40}, 10),
        ("unknown_weight", fixed[1][1], {**WEIGHTS, "nearby_bus": 99}, 10),
    ]
    rng = random.Random(2026)
    for i in range(24):
        cases.append(
            (
                f"random_{i:02d}",
                replace(
                    base,
                    categories=frozenset(rng.sample(CATEGORIES, rng.choice([1, 1, 2]))),
                    age_range=rng.choice([None, (25, 26), (17, 18)]),
                    gender=rng.choice(["", "woman", "man", "non_binary", "questioning"]),
                    languages=tuple(rng.sample(LANGUAGES, rng.randint(0, 2))),
                    staff_gender_preference=rng.choice(["", "women", "men"]),
                    faith_preference=rng.choice(["", "secular", "faith_based"]),
                    origin=rng.choice([None, CHICAGO, SPRINGFIELD, (41.5, -88.1)]),
                    radius_miles=rng.choice([None, 25.0, 5.0]),
                ),
                WEIGHTS,
                rng.choice([10, 10, 1, 20]),
            )
        )
    return cases


def _plain(matches: list[ranking.Match]) -> list:
    return [
        [
            m.service_id,
            repr(m.score),
            repr(m.distance_miles),
            m.location_id,
            list(m.categories),
            {k: repr(v) for k, v in m.components.items()},
            [repr(r) for r in m.reasons],
        ]
        for m in matches
    ]


def _results() -> dict:
    results = {}
    for name, profile, weights, limit in _profiles():
        if profile.radius_miles is not None and profile.origin is None:
            profile = replace(profile, radius_miles=None)
        matches = ranking.rank(profile, queries.candidate_rows(profile), weights, limit)
        # What the API runs: a statewide search reads near rows first, then far ones that can
        # still reach the top; the result must be the same.
        assert queries.top_matches(profile, weights, limit) == matches, name
        results[name] = _plain(matches)
    # As "Services for open needs" does: one read not requiring accepting, then accepting and
    # not accepting ranked apart, per category.
    wide = ranking.NeedProfile(
        categories=frozenset(CATEGORIES), as_of=AS_OF, origin=CHICAGO, radius_miles=25.0,
        languages=("spa", "eng"), gender="woman",
    )  # fmt: skip
    rows = queries.candidate_rows(replace(wide, require_accepting=False))
    for category in CATEGORIES:
        one = replace(wide, categories=frozenset({category}))
        mine = [r for r in rows if r["category"] == category]
        open_ = [r for r in mine if r["accepting_referrals"]]
        closed = [r for r in mine if not r["accepting_referrals"]]
        results[f"grouped_{category}_open"] = _plain(ranking.rank(one, open_, WEIGHTS, 10))
        results[f"grouped_{category}_closed"] = _plain(
            ranking.rank(replace(one, require_accepting=False), closed, WEIGHTS, 3)
        )
    return results


@pytest.mark.django_db
def test_rankings_equal_the_golden_file_byte_for_byte():
    _seed()
    results = _results()
    text = json.dumps(results, indent=0, sort_keys=True) + "\n"
    if os.environ.get("WAYFINDER_WRITE_GOLDEN"):
        GOLDEN.write_text(text)
        pytest.skip("golden file written")
    golden = json.loads(GOLDEN.read_text())
    assert sorted(results) == sorted(golden)
    for name in golden:
        assert results[name] == golden[name], name
    assert text == GOLDEN.read_text()
    # The cases are not vacuous: most find results, and reasons of every kind occur.
    assert sum(1 for v in golden.values() if len(v) >= 3) >= 30
    codes = {r.split("'")[1] for v in golden.values() for m in v for r in m[6]}
    assert codes >= {
        "speaks", "interpreter", "no_interpreter", "languages_unknown", "distance", "remote",
        "openings", "waitlist", "no_wait", "capacity_unknown", "capacity_stale", "staff_gender",
        "staff_mixed", "faith_based", "not_faith_based", "in_area", "check_area", "check_gender",
        "check_age", "trauma_informed", "trafficking_specific",
    }  # fmt: skip
