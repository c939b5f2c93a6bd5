"""Service areas: GeoJSON extents read without a geocoder, and the match index carrying them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from wayfinder.core.service_categories import ServiceCategory
from wayfinder.directory.actions import import_hsds, set_service_facts
from wayfinder.directory.geo import area_polygons, in_polygons
from wayfinder.directory.models import Service

SQUARE = [[-88.0, 41.0], [-87.0, 41.0], [-87.0, 42.0], [-88.0, 42.0], [-88.0, 41.0]]
HOLE = [[-87.6, 41.4], [-87.4, 41.4], [-87.4, 41.6], [-87.6, 41.6], [-87.6, 41.4]]
POLYGON = {"type": "Polygon", "coordinates": [SQUARE]}


@pytest.mark.parametrize(
    "extent",
    [
        POLYGON,
        {"type": "Feature", "properties": {"name": "x"}, "geometry": POLYGON},
        {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": POLYGON}]},
        {"type": "MultiPolygon", "coordinates": [[SQUARE]]},
        {
            "type": "GeometryCollection",
            "geometries": [{"type": "Point", "coordinates": [0, 0]}, POLYGON],
        },
    ],
)
def test_geojson_polygons_in_every_wrapping_are_read(extent):
    polygons = area_polygons(json.dumps(extent), "geojson")
    assert len(polygons) == 1
    assert in_polygons(41.5, -87.5, polygons)
    assert not in_polygons(42.5, -87.5, polygons)


@pytest.mark.parametrize(
    ("extent", "extent_type"),
    [
        ("extent", "geojson"),  # the HSDS 3.0 examples' placeholder
        ("", "geojson"),
        (json.dumps(POLYGON), "kml"),
        (json.dumps(POLYGON), ""),
        ("Cook County, Illinois", "text"),
        (json.dumps({"type": "Point", "coordinates": [-87.5, 41.5]}), "geojson"),
        (json.dumps({"type": "Polygon", "coordinates": [[[1, 2], [3]]]}), "geojson"),
        (json.dumps({"type": "Polygon", "coordinates": "nope"}), "geojson"),
        ("[" * 5000, "geojson"),
    ],
)
def test_anything_else_is_a_description_not_a_limit(extent, extent_type):
    assert area_polygons(extent, extent_type) == []


def test_a_hole_is_outside():
    polygons = area_polygons(
        json.dumps({"type": "Polygon", "coordinates": [SQUARE, HOLE]}), "geojson"
    )
    assert not in_polygons(41.5, -87.5, polygons)
    assert in_polygons(41.2, -87.8, polygons)


coordinate = st.floats(-80, 80, allow_nan=False)


@given(a=coordinate, b=coordinate, c=coordinate, d=coordinate, lat=coordinate, lng=coordinate)
def test_inside_a_rectangle_is_plain_arithmetic(a, b, c, d, lat, lng):
    south, north, west, east = min(a, b), max(a, b), min(c, d), max(c, d)
    assume(north - south > 1e-6 and east - west > 1e-6)
    # Points on an edge may fall either way (ray casting), so keep off the edges.
    assume(min(abs(lat - south), abs(lat - north), abs(lng - west), abs(lng - east)) > 1e-9)
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    polygons = area_polygons(json.dumps({"type": "Polygon", "coordinates": [ring]}), "geojson")
    assert in_polygons(lat, lng, polygons) == (south < lat < north and west < lng < east)


@pytest.mark.django_db
def test_an_imported_service_area_limits_matching():
    from wayfinder.matching import ranking
    from wayfinder.matching.queries import candidate_rows

    organization = {
        "id": "org-area",
        "name": "Area Org",
        "description": "Serves one area only.",
        "services": [
            {
                "id": "svc-area",
                "name": "West Side legal clinic",
                "status": "active",
                "service_areas": [
                    {
                        "id": "area-1",
                        "name": "West Side",
                        "extent": json.dumps(POLYGON),
                        "extent_type": "geojson",
                    },
                    {
                        "id": "area-2",
                        "name": "Cook County",
                        "extent": "Cook County",
                        "extent_type": "text",
                    },
                ],
            }
        ],
    }
    import_hsds({"org.json": json.dumps(organization).encode()}, actor=None)
    set_service_facts(
        Service.objects.get(pk="svc-area"), actor=None, categories=[ServiceCategory.LEGAL_CIVIL]
    )

    def found(origin):
        profile = ranking.NeedProfile(
            categories=frozenset({"legal_civil"}),
            as_of=datetime(2026, 6, 1, tzinfo=UTC),
            origin=origin,
        )
        rows = candidate_rows(profile)
        assert [name for r in rows for name, _p in r["areas"]] == ["West Side"]
        return ranking.rank(profile, rows, {"distance": 1}, 10)

    [match] = found((41.5, -87.5))
    assert ranking.Reason("in_area", "", None, "West Side") in match.reasons
    assert found((43.0, -87.5)) == []
    [match] = found(None)
    assert ranking.Reason("check_area", "", None, ("West Side",)) in match.reasons
