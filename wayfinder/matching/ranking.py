"""Ranking services for a person's needs: a pure function over candidate rows.

``rank(profile, candidates, weights, limit)`` applies the hard filters, scores what passes and
returns the best ``limit`` services, each with the reasons for its place. It reads no database,
no settings and no clock (``profile.as_of`` is "now"), so the same input always gives the same
output. Ties are broken by distance (nearer first, unknown last) and then service id.

A candidate row is one (service, category, site) of the match index, with the facts the index
carries (``queries.candidate_rows`` reads them; tests build them by hand)::

    service_id, category, status, accepting_referrals, location_id, latitude, longitude,
    minimum_age, maximum_age, available, waitlist_days, capacity_updated,
    features   # bit mask of directory.bits (directory.index.FEATURE_BITS) (Wayfinder attributes of the service)
    languages  # bit i set: staff speak profile.languages[i]; None: the service lists no language
    areas      # ((name, GeoJSON polygons), ...) the service is limited to; None: no checkable area

Each soft score is between 0 and 1 and is multiplied by its weight. Every score that counts
comes with exactly one ``Reason`` naming it, so what a user reads is what moved the service.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

# The facts a row carries, as bits: the match index's layout, defined in directory (which matching
# imports, never the reverse). Names the ranking does not use itself are kept for its callers.
from wayfinder.directory.bits import (  # noqa: F401
    ANY_GENDER_LIMIT,
    FAITH_BASED,
    FREE_OF_COST,
    GENDER_BITS,
    INTERPRETER_AVAILABLE,
    LGBTQ_AFFIRMING,
    ONLY_MAN,
    ONLY_NON_BINARY,
    ONLY_TRANSGENDER,
    ONLY_WOMAN,
    SERVES_UNDOCUMENTED,
    STAFF_BITS,
    STAFF_MEN,
    STAFF_MIXED,
    STAFF_WOMEN,
    SURVIVOR_LED,
    TRAFFICKING_SPECIFIC,
    TRAUMA_INFORMED,
)
from wayfinder.directory.geo import in_polygons, miles

# A recorded gender that surely falls outside a limit that leaves it out. For any other
# identity ("transgender", "questioning", ...) a limit is shown as "check eligibility".
DEFINITE_GENDERS = frozenset({"woman", "man", "non_binary"})

SCORES = (
    "language",
    "distance",
    "wait",
    "trauma_informed",
    "trafficking_specific",
    "staff_gender",
    "faith",
)
# Staff speaking the person's 1st, 2nd, 3rd... language; an interpreter comes after them all.
LANGUAGE_RANK_SCORES = (1.0, 0.8, 0.65, 0.55)
INTERPRETER_SCORE = 0.4
REMOTE_DISTANCE_SCORE = 0.5  # a phone or online service: neither near nor far
UNKNOWN_WAIT_SCORE = 0.5
WAIT_HALF_DAYS = 14  # a waitlist this long halves the wait score
STALE_FACTOR = 0.5  # figures not updated for a while count half


@dataclass(frozen=True)
class NeedProfile:
    """What matching knows about the person and the search. Blank = unknown or not visible."""

    categories: frozenset[str]
    as_of: datetime
    age_range: tuple[int, int] | None = None  # (youngest, oldest) possible age
    gender: str = ""
    languages: tuple[str, ...] = ()  # ranked ISO 639-3 codes
    staff_gender_preference: str = ""  # "women" | "men"
    faith_preference: str = ""  # "faith_based" | "secular"
    origin: tuple[float, float] | None = None
    radius_miles: float | None = None  # hard limit (needs an origin)
    distance_scale_miles: float = 25.0  # distance score falls to 0 here
    require_accepting: bool = True
    require_undocumented: bool = False
    include_remote: bool = True  # services with no located site pass a radius
    stale_after_days: int = 14


@dataclass(frozen=True)
class Reason:
    """Why a service is where it is. ``score`` names the soft score it explains ("" for a note);
    ``good`` is True (helps), False (holds it back) or None (a plain fact)."""

    code: str
    score: str = ""
    good: bool | None = None
    value: object = None


@dataclass(frozen=True)
class Match:
    service_id: str
    score: float
    distance_miles: float | None
    location_id: str | None
    categories: tuple[str, ...]
    components: Mapping[str, float] = field(default_factory=dict)  # weighted
    reasons: tuple[Reason, ...] = ()


# --- hard filters ------------------------------------------------------------------------------


def _distance(profile: NeedProfile, row: Mapping) -> float | None:
    lat, lng = row.get("latitude"), row.get("longitude")
    if profile.origin is None or lat is None or lng is None:
        return None
    return miles(profile.origin[0], profile.origin[1], lat, lng)


def _in_area(origin: tuple[float, float], areas) -> str | None:
    """The name of the first service area holding ``origin`` ("" if unnamed), or None."""
    for name, polygons in areas:
        if in_polygons(origin[0], origin[1], polygons):
            return name
    return None


def passes(profile: NeedProfile, row: Mapping, distance: float | None) -> bool:
    """Whether one candidate row meets every hard filter (``distance`` from ``_distance``)."""
    if row["category"] not in profile.categories or row["status"] != "active":
        return False
    if profile.require_accepting and not row["accepting_referrals"]:
        return False
    if profile.origin is not None and profile.radius_miles is not None:
        located = row.get("latitude") is not None and row.get("longitude") is not None
        if located and (distance is None or distance > profile.radius_miles):
            return False
        if not located and not profile.include_remote:
            return False
    if profile.age_range is not None:
        youngest, oldest = profile.age_range
        low, high = row.get("minimum_age"), row.get("maximum_age")
        if (low is not None and oldest < low) or (high is not None and youngest > high):
            return False
    areas = row.get("areas")
    if areas and profile.origin is not None and not _in_area(profile.origin, areas):
        return False
    features = row.get("features") or 0
    if (
        profile.gender in DEFINITE_GENDERS
        and features & ANY_GENDER_LIMIT
        and not features & GENDER_BITS[profile.gender]
    ):
        return False
    return not (profile.require_undocumented and not features & SERVES_UNDOCUMENTED)


# --- soft scores -------------------------------------------------------------------------------


def _assess(
    profile: NeedProfile,
    row: Mapping,
    distance: float | None,
    weights: Mapping[str, float],
    reasons: list[Reason] | None,
) -> tuple[float, dict[str, float]]:
    """(total, weighted components); appends the reasons when ``reasons`` is a list."""
    parts: dict[str, float] = {}
    features = row.get("features") or 0
    explain = reasons is not None

    def add(score: str, value: float, code: str, good: bool | None, detail=None) -> None:
        # Reasons are built only for the few results shown: ranking thousands of rows is the
        # hot path, and this keeps scoring and explaining one and the same code.
        w = weights.get(score, 0)
        if w:
            parts[score] = w * value
            if explain:
                reasons.append(Reason(code, score, good, detail))

    if profile.languages:
        spoken = row.get("languages")
        rank = next(
            (i for i in range(len(profile.languages)) if spoken and spoken & (1 << i)), None
        )
        if rank is not None:
            value = LANGUAGE_RANK_SCORES[min(rank, len(LANGUAGE_RANK_SCORES) - 1)]
            add("language", value, "speaks", True, profile.languages[rank])
        elif features & INTERPRETER_AVAILABLE:
            add("language", INTERPRETER_SCORE, "interpreter", True, profile.languages[0])
        else:
            code = "no_interpreter" if spoken is not None else "languages_unknown"
            add("language", 0.0, code, False, profile.languages[0])

    if profile.origin is not None:
        if distance is not None:
            scale = profile.radius_miles or profile.distance_scale_miles
            value = max(0.0, 1.0 - distance / scale) if scale > 0 else 0.0
            add("distance", value, "distance", None, round(distance, 1))
        else:
            add("distance", REMOTE_DISTANCE_SCORE, "remote", None)

    updated = row.get("capacity_updated")
    available, days = row.get("available"), row.get("waitlist_days")
    if updated is None:
        add("wait", UNKNOWN_WAIT_SCORE, "capacity_unknown", None)
    else:
        if available:
            value, why = 1.0, ("openings", True, int(available))
        elif days is not None:
            value = 1.0 / (1.0 + days / WAIT_HALF_DAYS)
            why = ("no_wait", True, None) if days == 0 else ("waitlist", None, days)
        else:
            value, why = UNKNOWN_WAIT_SCORE, ("capacity_unknown", None, None)
        age_days = (profile.as_of - updated).days
        if age_days > profile.stale_after_days:
            value *= STALE_FACTOR
            if explain:
                reasons.append(Reason("capacity_stale", "", False, age_days))
        add("wait", value, *why)

    if features & TRAUMA_INFORMED:
        add("trauma_informed", 1.0, "trauma_informed", True)
    if features & TRAFFICKING_SPECIFIC:
        add("trafficking_specific", 1.0, "trafficking_specific", True)

    wanted = STAFF_BITS.get(profile.staff_gender_preference)
    if wanted:
        if features & wanted:
            add("staff_gender", 1.0, "staff_gender", True, profile.staff_gender_preference)
        elif features & STAFF_MIXED:
            add("staff_gender", 0.5, "staff_mixed", None)
        elif features & (STAFF_WOMEN | STAFF_MEN):
            other = "men" if features & STAFF_MEN else "women"
            add("staff_gender", 0.0, "staff_gender", False, other)
        else:
            add("staff_gender", 0.0, "staff_unknown", None)

    if profile.faith_preference == "secular":
        if features & FAITH_BASED:
            add("faith", 0.0, "faith_based", False)
        else:
            add("faith", 1.0, "not_faith_based", True)
    elif profile.faith_preference == "faith_based" and features & FAITH_BASED:
        add("faith", 1.0, "faith_based", True)

    # Notes on eligibility that could not be settled from what is known.
    if reasons is not None:
        areas = row.get("areas")
        if areas and profile.origin is None:
            reasons.append(Reason("check_area", "", None, tuple(n for n, _p in areas if n)))
        elif areas:
            reasons.append(Reason("in_area", "", None, _in_area(profile.origin, areas)))
        limit = features & ANY_GENDER_LIMIT
        if limit and not (profile.gender and features & GENDER_BITS.get(profile.gender, 0)):
            only = tuple(g for g, bit in GENDER_BITS.items() if limit & bit)
            reasons.append(Reason("check_gender", "", None, only))
        if profile.age_range is None and (
            row.get("minimum_age") is not None or row.get("maximum_age") is not None
        ):
            reasons.append(
                Reason("check_age", "", None, (row.get("minimum_age"), row.get("maximum_age")))
            )
        elif profile.age_range is not None:
            youngest, oldest = profile.age_range
            low, high = row.get("minimum_age"), row.get("maximum_age")
            if (low is not None and youngest < low <= oldest) or (
                high is not None and youngest <= high < oldest
            ):
                reasons.append(Reason("check_age", "", None, (low, high)))

    return round(sum(parts.values()), 6), parts


def _key(m: tuple) -> tuple:
    score, distance, service_id = m[0], m[1], m[2]
    return (-score, distance is None, distance if distance is not None else 0.0, service_id)


def _ceiling(
    profile: NeedProfile, row: Mapping, distance: float | None, weights: Mapping[str, float]
) -> float:
    """A total ``_assess`` cannot exceed for this row: every score as ``_assess`` gives it, except
    that capacity figures count as fresh (staleness only ever halves the wait score).

    Cheap (no reasons, no dict, no dates), so that ``rank`` scores in full only the services
    whose ceiling can still reach its top. A property test checks it never falls below the score.
    """
    w = weights.get
    features = row.get("features") or 0
    total = 0.0
    if profile.languages:
        spoken = (row.get("languages") or 0) & ((1 << len(profile.languages)) - 1)
        if spoken:
            first = (spoken & -spoken).bit_length() - 1  # the person's best language spoken
            total += (
                w("language", 0) * LANGUAGE_RANK_SCORES[min(first, len(LANGUAGE_RANK_SCORES) - 1)]
            )
        elif features & INTERPRETER_AVAILABLE:
            total += w("language", 0) * INTERPRETER_SCORE
    if profile.origin is not None:
        if distance is None:
            total += w("distance", 0) * REMOTE_DISTANCE_SCORE
        else:
            scale = profile.radius_miles or profile.distance_scale_miles
            value = max(0.0, 1.0 - distance / scale) if scale > 0 else 0.0
            total += w("distance", 0) * value
    days = row.get("waitlist_days")
    if row.get("capacity_updated") is not None and row.get("available"):
        total += w("wait", 0)
    elif row.get("capacity_updated") is not None and days is not None:
        total += w("wait", 0) / (1.0 + days / WAIT_HALF_DAYS)
    else:
        total += w("wait", 0) * UNKNOWN_WAIT_SCORE
    if features & TRAUMA_INFORMED:
        total += w("trauma_informed", 0)
    if features & TRAFFICKING_SPECIFIC:
        total += w("trafficking_specific", 0)
    wanted = STAFF_BITS.get(profile.staff_gender_preference)
    if wanted and features & wanted:
        total += w("staff_gender", 0)
    elif wanted and features & STAFF_MIXED:
        total += w("staff_gender", 0) * 0.5
    faith = bool(features & FAITH_BASED)
    if (profile.faith_preference == "secular" and not faith) or (
        profile.faith_preference == "faith_based" and faith
    ):
        total += w("faith", 0)
    return total


# A ceiling this much below the limit-th score surely loses to it, whatever the rounding of
# ``_assess``'s total (to 6 places) and the order the two sums were added in.
CEILING_MARGIN = 1e-5


def rank(
    profile: NeedProfile,
    candidates: Iterable[Mapping],
    weights: Mapping[str, float],
    limit: int = 10,
) -> list[Match]:
    """The best ``limit`` services that pass every hard filter, best first, with reasons.

    Three steps: the hard filters keep each service's nearest passing site; services are scored
    in full in order of their ceiling, until the ``limit``-th best score so far is above every
    ceiling left (those services can only come after it); the ``limit`` shown get their reasons.
    """
    best: dict[str, tuple] = {}  # service id -> (distance, location id, row)
    categories: dict[str, set[str]] = {}
    for row in candidates:
        distance = _distance(profile, row)
        if not passes(profile, row, distance):
            continue
        sid = row["service_id"]
        categories.setdefault(sid, set()).add(row["category"])
        here = (distance is None, distance or 0.0, row.get("location_id") or "")
        held = best.get(sid)
        if held is None or here < held[0]:
            best[sid] = (here, distance, row)
    if limit <= 0:
        return []
    # A negative weight would make a ceiling no ceiling: then every service is scored.
    prune = all(w >= 0 for w in weights.values())
    order = sorted(
        (
            (_ceiling(profile, row, distance, weights), sid)
            for sid, (_h, distance, row) in best.items()
        ),
        reverse=True,
    )
    scored = []
    kept: list[float] = []  # the best ``limit`` totals so far, a min-heap
    for ceiling, sid in order:
        if prune and len(kept) == limit and ceiling + CEILING_MARGIN < kept[0]:
            break  # sorted by ceiling: no service left can reach the top
        _here, distance, row = best[sid]
        total, _parts = _assess(profile, row, distance, weights, None)
        scored.append((total, distance, sid))
        if len(kept) < limit:
            heapq.heappush(kept, total)
        elif total > kept[0]:
            heapq.heapreplace(kept, total)
    top = heapq.nsmallest(limit, scored, key=_key)
    matches = []
    for _total, distance, sid in top:
        row = best[sid][2]
        reasons: list[Reason] = []
        again, parts = _assess(profile, row, distance, weights, reasons)
        matches.append(
            Match(
                service_id=sid,
                score=again,
                distance_miles=None if distance is None else round(distance, 1),
                location_id=row.get("location_id"),
                categories=tuple(sorted(categories[sid])),
                components=parts,
                reasons=tuple(reasons),
            )
        )
    return matches
