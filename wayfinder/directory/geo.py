"""Distances without a network: US ZIP centroids from the ``zipcodes`` package, haversine miles,
and the bounding box that prefilters a radius search in SQL.

Nothing here calls a geocoding service: ZIP centroids ship inside the ``zipcodes`` wheel. Its
first lookup in a process loads that data (a second or two); later lookups are cached.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache

EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE_LAT = 69.0
_ZIP = re.compile(r"^\s*(\d{5})(?:-\d{4})?\s*$")
_COORDS = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


@lru_cache(maxsize=4096)
def zip_centroid(code: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a US ZIP code (``60623`` or ``60623-1234``), or None."""
    # zipcodes reads its whole ZIP table when imported: only when a ZIP is first looked up.
    import zipcodes

    m = _ZIP.match(code or "")
    if not m:
        return None
    try:
        found = zipcodes.matching(m.group(1))
    except (ValueError, TypeError):
        return None
    if not found:
        return None
    try:
        return float(found[0]["lat"]), float(found[0]["long"])
    except (KeyError, TypeError, ValueError):
        return None


def valid_point(lat, lng) -> bool:
    return (
        lat is not None
        and lng is not None
        and -90 <= lat <= 90
        and -180 <= lng <= 180
        and not (math.isnan(lat) or math.isnan(lng))
    )


def parse_place(text: str) -> tuple[float, float] | None:
    """A US ZIP code or "latitude, longitude" typed by a user, as a point; None if neither."""
    text = (text or "").strip()
    m = _COORDS.match(text)
    if m:
        lat, lng = float(m.group(1)), float(m.group(2))
        return (lat, lng) if valid_point(lat, lng) else None
    return zip_centroid(text)


def miles(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in miles (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lng: float, radius: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng) holding every point within ``radius`` miles.

    A little larger than the circle; the exact distance is checked afterwards. Near the poles
    the longitude span is the whole globe.
    """
    dlat = radius / MILES_PER_DEGREE_LAT
    # A circle is widest (in degrees of longitude) at its edge furthest from the equator.
    cos_lat = math.cos(math.radians(min(90.0, max(abs(lat - dlat), abs(lat + dlat)))))
    dlng = 180.0 if cos_lat < 0.01 else min(180.0, radius / (MILES_PER_DEGREE_LAT * cos_lat))
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng


# --- service areas (HSDS ``service_area`` with ``extent_type`` "geojson") -------------------------

Polygon = list[
    list[tuple[float, float]]
]  # rings of (longitude, latitude); the first is the outline


def _polygons(geometry) -> list[Polygon]:
    if not isinstance(geometry, dict):
        return []
    kind = geometry.get("type")
    if kind == "FeatureCollection":
        return [p for f in geometry.get("features") or [] for p in _polygons(f)]
    if kind == "Feature":
        return _polygons(geometry.get("geometry"))
    if kind == "GeometryCollection":
        return [p for g in geometry.get("geometries") or [] for p in _polygons(g)]
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        shapes = [coordinates]
    elif kind == "MultiPolygon":
        shapes = coordinates if isinstance(coordinates, list) else []
    else:
        return []
    found = []
    for shape in shapes:
        try:
            rings = [[(float(p[0]), float(p[1])) for p in ring] for ring in shape]
        except (TypeError, ValueError, IndexError):
            continue
        if rings and len(rings[0]) >= 4:
            found.append(rings)
    return found


def area_polygons(extent: str, extent_type: str) -> list[Polygon]:
    """The polygons of a GeoJSON service area extent; [] if it is not GeoJSON or holds none.

    HSDS 3.0 leaves ``extent`` free ("geojson", "topojson", "kml", "text"); only GeoJSON polygons
    can be checked without a geocoder, so every other extent is a description, not a limit.
    """
    if (extent_type or "").strip().lower() != "geojson" or not (extent or "").strip():
        return []
    try:
        return _polygons(json.loads(extent))
    except (ValueError, RecursionError):
        return []


def _in_ring(lng: float, lat: float, ring: list[tuple[float, float]]) -> bool:
    """Ray casting: whether the point is inside the ring (points on an edge may go either way)."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lng < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def in_polygons(lat: float, lng: float, polygons: list[Polygon]) -> bool:
    """Whether (lat, lng) lies inside any polygon (inside its outline and outside its holes)."""
    return any(
        _in_ring(lng, lat, rings[0]) and not any(_in_ring(lng, lat, hole) for hole in rings[1:])
        for rings in polygons
    )
