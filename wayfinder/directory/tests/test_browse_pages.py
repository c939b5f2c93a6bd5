"""The directory's pages are read without reading every match (``search_page``).

A search by name counts up to ``COUNT_CAP`` and reads one page; a search near a place reads the
sites outwards until it holds the page. Whatever the reach, every page must be the slice of the
whole order that the rule written out below gives: nearest site first (then id), within the
radius; or by name (then id).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from wayfinder.directory.browse import queries
from wayfinder.directory.geo import miles
from wayfinder.directory.models import Location, Organization, Service, ServiceAtLocation

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ORIGIN = (41.88, -87.70)

# A service: its name (few letters, so that names tie) and its sites as offsets in degrees
# from the place searched from (69 miles a degree of latitude, 52 of longitude here): most
# within the first reaches, some past the radius.
near_offset = st.floats(-0.03, 0.03, allow_nan=False)
far_offset = st.floats(-0.3, 0.3, allow_nan=False)
offsets = st.one_of(st.tuples(near_offset, near_offset), st.tuples(far_offset, far_offset))
services = st.lists(
    st.tuples(st.text("ab", min_size=1, max_size=2), st.lists(offsets, max_size=3)),
    max_size=30,
)


def _store(spec) -> None:
    ServiceAtLocation.objects.all().delete()
    Location.objects.all().delete()
    Service.objects.all().delete()
    org, _ = Organization.objects.get_or_create(id="pages-org", defaults={"name": "Org"})
    rows, locations, sites = [], [], []
    for i, (name, where) in enumerate(spec):
        rows.append(Service(id=f"s{i:03d}", name=name, organization=org, status="active"))
        for j, (dlat, dlng) in enumerate(where):
            lid = f"l{i:03d}-{j}"
            locations.append(
                Location(id=lid, latitude=ORIGIN[0] + dlat, longitude=ORIGIN[1] + dlng)
            )
            sites.append(
                ServiceAtLocation(id=f"a{i:03d}-{j}", service_id=f"s{i:03d}", location_id=lid)
            )
    Service.objects.bulk_create(rows)
    Location.objects.bulk_create(locations)
    ServiceAtLocation.objects.bulk_create(sites)


def _rule(data) -> list[tuple[str, float | None]]:
    """Every match in page order, computed from every row."""
    matches = Service.objects.filter(name__icontains=data.get("q", ""))
    if data.get("near") is None:
        return [(pk, None) for pk in matches.order_by("name", "id").values_list("id", flat=True)]
    nearest: dict[str, float] = {}
    for sid, lat, lng in ServiceAtLocation.objects.filter(service__in=matches).values_list(
        "service_id", "location__latitude", "location__longitude"
    ):
        lat0, lng0 = data["near"]
        assert lat is not None and lng is not None  # every site here is placed
        d = miles(lat0, lng0, lat, lng)
        if (not data.get("radius") or d <= float(data["radius"])) and d < nearest.get(
            sid, math.inf
        ):
            nearest[sid] = d
    return sorted(nearest.items(), key=lambda item: (item[1], item[0]))


def _walk(data, per_page):
    pages, number = [], 1
    while True:
        page = queries.search_page(data, members=False, now=NOW, page=number, per_page=per_page)
        pages.append(page)
        if not page.has_next:
            return pages
        number += 1
        assert number <= 100, "the pages never end"  # at most 30 services here


@pytest.mark.django_db
@settings(settings.get_profile("db"), max_examples=40)
@given(
    spec=services,
    near=st.booleans(),
    radius=st.sampled_from(["", "5", "10", "25"]),
    q=st.sampled_from(["", "a"]),  # a text search reads its matches in one pass
    per_page=st.integers(1, 6),
)
# More pages by name than the capped count's pages (a "Next" that once led back to itself).
@example(spec=[("a", [])] * 20, near=False, radius="", q="", per_page=1)
def test_every_page_is_the_slice_of_the_whole_order(monkeypatch, spec, near, radius, q, per_page):
    # Small reaches and cap, so that a few services take every path: the count stopping, the
    # reach doubling, stopping short of the radius, and reading the whole map.
    monkeypatch.setattr(queries, "COUNT_CAP", 7)
    monkeypatch.setattr(queries, "FIRST_REACH_MILES", 1.0)
    monkeypatch.setattr(queries, "LAST_REACH_MILES", 8.0)
    _store(spec)
    data = {"near": ORIGIN, "radius": radius, "q": q} if near else {"q": q}
    whole = _rule(data)
    pages = _walk(data, per_page)
    assert [row for p in pages for row in p.rows] == whole
    for p in pages:
        assert p.rows or p.number == 1
        seen = (p.number - 1) * per_page + len(p.rows)
        if p.capped:  # says "More than N": true, and N is what the page knows
            assert p.count < len(whole) and p.num_pages is None
            assert p.count == (queries.COUNT_CAP if not near else seen)
        else:
            assert p.count == len(whole) and p.num_pages == max(1, math.ceil(len(whole) / per_page))


@pytest.mark.django_db
def test_a_page_past_the_end_is_the_last_page_and_a_huge_one_is_no_error(
    client, settings, monkeypatch
):
    settings.WAYFINDER_DIRECTORY_PUBLIC = True
    _store([(n, [(0.01 * i, 0.0)]) for i, n in enumerate("abcde")])
    last = queries.search_page({}, members=False, now=NOW, page=99, per_page=2)
    assert last.number == 3 and [pk for pk, _ in last.rows] == ["s004"]
    near = queries.search_page({"near": ORIGIN}, members=False, now=NOW, page=99, per_page=2)
    assert near.number == 3 and not near.capped
    monkeypatch.setattr(queries, "COUNT_CAP", 5)  # at the cap the count is still exact
    assert not queries.search_page({}, members=False, now=NOW, page=1, per_page=2).capped
    monkeypatch.setattr(queries, "COUNT_CAP", 3)  # past the cap the last page is not known
    monkeypatch.setattr(queries, "PAGE_LIMIT", 2)
    huge = queries.search_page({}, members=False, now=NOW, page=10**30, per_page=2)
    assert huge.capped and huge.number == 2  # pages stop at the limit: no OFFSET of 10^30
    assert not huge.has_next  # and offer no "Next" to the same page again
    for page in ("10" * 30, "-4", "x"):
        assert client.get("/directory/", {"page": page}).status_code == 200


@pytest.mark.django_db
def test_a_site_in_the_corner_of_the_box_is_further_than_one_just_past_its_side(monkeypatch):
    """The sites read in a round lie in a box around the reach's circle. One in the box's corner
    (1.3 miles here, reach 1) comes after one just past the box's side (1.1 miles): a round may
    only keep the services within its reach."""
    monkeypatch.setattr(queries, "FIRST_REACH_MILES", 1.0)
    lat_mile, lng_mile = 1 / 69.05, 1 / 51.5  # degrees per mile at this latitude, about
    _store(
        [
            ("a near", [(0.5 * lat_mile, 0.0)]),
            ("b corner", [(0.92 * lat_mile, 0.92 * lng_mile)]),
            ("c corner", [(-0.92 * lat_mile, -0.92 * lng_mile)]),
            ("d side", [(1.1 * lat_mile, 0.0)]),
        ]
    )
    first = queries.search_page({"near": ORIGIN}, members=False, now=NOW, page=1, per_page=2)
    assert [pk for pk, _ in first.rows] == ["s000", "s003"]


@pytest.mark.django_db
def test_near_a_place_the_first_page_reads_only_the_nearby_sites(django_assert_num_queries):
    """Ten services within a mile and a thousand 50-100 miles away: page 1 is read from the first
    reach, in one query, and says "More than 5"."""
    near = [(f"n{i}", [(0.001 * i, 0.0)]) for i in range(10)]
    far = [(f"f{i}", [(0.8 + 0.0005 * i, 0.5)]) for i in range(1000)]
    _store(near + far)
    with django_assert_num_queries(1):
        page = queries.search_page({"near": ORIGIN}, members=False, now=NOW, page=1, per_page=5)
    assert [pk for pk, _ in page.rows] == [f"s{i:03d}" for i in range(5)]
    assert page.capped and page.count == 5 and page.has_next
