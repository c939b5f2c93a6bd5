"""Reads for matching: the candidate rows (one indexed query) and what the result pages show.

``candidate_rows(profile)`` reads ``ServiceCategoryIndex`` alone, on its
(category, status, accepting_referrals, latitude) index: with a radius, the latitude range of
its bounding box is part of the index scan. The index row already carries the service's feature
bits, staff languages, ages and capacity (``directory.index`` keeps them), so there is no join
and no subquery; the staff languages become the profile's language bits here, in Python.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from wayfinder.accounts.models import CASEWORK_ROLES, Agency, Membership
from wayfinder.assessments.models import NEED_DATA_CATEGORY
from wayfinder.assessments.queries import open_needs
from wayfinder.audit.events import record
from wayfinder.consent.models import Consent, Purpose
from wayfinder.core.languages import language_codes
from wayfinder.directory.geo import bounding_box, zip_centroid
from wayfinder.directory.models import Location, Service, ServiceCategoryIndex
from wayfinder.matching import ranking
from wayfinder.people.models import DECLINED
from wayfinder.people.sealing import identity_of


# The candidate query is plain SQL on one table: through the ORM, building and compiling the
# query cost more than running it. Every value is a bound parameter.
def _candidate_sql(
    profile: ranking.NeedProfile, where_too: str = "", params_too: Iterable = ()
) -> tuple[str, list]:
    table = connection.ops.quote_name(ServiceCategoryIndex._meta.db_table)
    categories = sorted(profile.categories)
    where = [f"category IN ({', '.join(['%s'] * len(categories))})", "status = %s"]
    params: list = [*categories, "active"]
    if where_too:
        where.append(where_too)
        params += params_too
    if profile.require_accepting:
        where.append("accepting_referrals = %s")
        params.append(True)
    if profile.origin is not None and profile.radius_miles is not None:
        min_lat, max_lat, min_lng, max_lng = bounding_box(*profile.origin, profile.radius_miles)
        box = "(latitude BETWEEN %s AND %s AND longitude BETWEEN %s AND %s)"
        where.append(f"({box} OR latitude IS NULL)" if profile.include_remote else box)
        params += [min_lat, max_lat, min_lng, max_lng]
    # The hard filters on ages and feature bits, so that rows ``ranking.passes`` would drop are
    # not read at all (``passes`` still checks them: it alone decides).
    if profile.age_range is not None:
        where.append("(minimum_age IS NULL OR minimum_age <= %s)")
        where.append("(maximum_age IS NULL OR maximum_age >= %s)")
        params += [profile.age_range[1], profile.age_range[0]]
    if profile.gender in ranking.DEFINITE_GENDERS:
        where.append("((features & %s) = 0 OR (features & %s) <> 0)")
        params += [ranking.ANY_GENDER_LIMIT, ranking.GENDER_BITS[profile.gender]]
    if profile.require_undocumented:
        where.append("(features & %s) <> 0")
        params.append(ranking.SERVES_UNDOCUMENTED)
    # SQLite's driver would parse every row's timestamp with Django's regular expression (the
    # column is declared "datetime"); as text, ``_aware`` parses it five times faster.
    updated = "capacity_updated"
    if connection.vendor == "sqlite":
        updated = "CAST(capacity_updated AS TEXT)"
    sql = (
        "SELECT service_id, category, status, accepting_referrals, location_id, latitude, "  # noqa: S608 - placeholders only
        f"longitude, minimum_age, maximum_age, available, waitlist_days, {updated}, "
        f"features, languages, service_areas FROM {table} WHERE {' AND '.join(where)}"
    )
    return sql, params


def language_mask(profile: ranking.NeedProfile):
    """A function from an index row's ``languages`` text to the profile's language bits
    (bit i: staff speak ``profile.languages[i]``; None: the service lists no language)."""
    wanted = [
        (1 << i, [f" {c} " for c in language_codes(code)])
        for i, code in enumerate(profile.languages)
    ]
    cache: dict[str, int] = {}

    def mask(spoken: str) -> int | None:
        if not spoken:
            return None
        bits = cache.get(spoken)
        if bits is None:
            bits = sum(bit for bit, codes in wanted if any(c in spoken for c in codes))
            cache[spoken] = bits
        return bits

    return mask


def _aware(value):
    """SQLite hands datetimes back naive (stored in UTC) or as text through a plain cursor."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        try:  # the C parser reads what SQLite stores, five times faster than parse_datetime
            value = datetime.fromisoformat(str(value))
        except ValueError:
            value = parse_datetime(str(value))
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


CANDIDATE_FIELDS = (
    "service_id",
    "category",
    "status",
    "accepting_referrals",
    "location_id",
    "latitude",
    "longitude",
    "minimum_age",
    "maximum_age",
    "available",
    "waitlist_days",
    "capacity_updated",
    "features",
    "languages",
    "areas",
)


def candidate_rows(
    profile: ranking.NeedProfile, where_too: str = "", params_too: Iterable = ()
) -> list[dict]:
    """Every index row that may pass the profile's hard filters, as plain dicts (one query on
    the (category, status, accepting, latitude) index, with the bounding box of a radius).
    ``where_too`` (with its ``params_too``) narrows the rows further (``top_matches``)."""
    sql, params = _candidate_sql(profile, where_too, params_too)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [dict(zip(CANDIDATE_FIELDS, row, strict=True)) for row in cursor.fetchall()]
    languages = language_mask(profile)
    areas: dict[str, tuple] = {}
    for row in rows:
        if text := row["areas"]:
            if text not in areas:
                areas[text] = tuple((a["name"], a["polygons"]) for a in json.loads(text))
            row["areas"] = areas[text]
        else:
            row["areas"] = None
        row["accepting_referrals"] = bool(row["accepting_referrals"])
        row["capacity_updated"] = _aware(row["capacity_updated"])
        row["languages"] = languages(row["languages"])
    return rows


# Near a search's place: inside a bounding box around it, or no site.
NEAR = "(latitude IS NULL OR longitude IS NULL OR (latitude BETWEEN %s AND %s AND longitude BETWEEN %s AND %s))"
# With a radius, the near circle is this share of it (without one, it is the distance score's
# scale, beyond which the distance scores 0).
NEAR_SHARE = 0.4
# The features a far service's ceiling depends on (see ``_far_features``).
FAR_FEATURES = (
    ranking.TRAUMA_INFORMED
    | ranking.TRAFFICKING_SPECIFIC
    | ranking.STAFF_WOMEN
    | ranking.STAFF_MEN
    | ranking.STAFF_MIXED
    | ranking.FAITH_BASED
)


def _far_features(profile: ranking.NeedProfile, weights, near: float, least: float) -> list[int]:
    """The values of ``features & FAR_FEATURES`` a service more than ``near`` miles away needs
    to score ``least`` or more.

    Its ceiling is at most ``ranking._ceiling`` of the best row with its features: ``near``
    miles away (the distance score only falls with distance), every language spoken, openings
    now. A service whose features leave that below ``least`` cannot score ``least``.
    """
    best = {"languages": -1, "available": 1, "capacity_updated": profile.as_of}
    return [
        bits
        for bits in range(FAR_FEATURES + 1)
        if bits & FAR_FEATURES == bits
        and ranking._ceiling(profile, {**best, "features": bits}, near, weights)
        + ranking.CEILING_MARGIN
        >= least
    ]


def top_matches(profile: ranking.NeedProfile, weights, limit: int = 10) -> list[ranking.Match]:
    """``ranking.rank(profile, candidate_rows(profile), weights, limit)``, the same list, with
    fewer rows read when the search has a place.

    First the rows near the place (and services with no site) are ranked. A service further
    away scores less for distance than any near one could, so if the best it could score with
    its features is below the ``limit``-th score found near, it can only come after that one:
    the second query reads only far rows whose features can still reach it.
    """
    if profile.origin is None or limit <= 0 or any(w < 0 for w in weights.values()):
        return ranking.rank(profile, candidate_rows(profile), weights, limit)
    scale = max(profile.radius_miles or profile.distance_scale_miles, 0.0)  # as ranking's
    near = scale if profile.radius_miles is None else scale * NEAR_SHARE
    box = bounding_box(*profile.origin, near)
    rows = candidate_rows(profile, NEAR, box)
    found = ranking.rank(profile, rows, weights, limit)
    least = found[-1].score if len(found) == limit else -math.inf
    wanted = _far_features(profile, weights, near, least)
    if not wanted:
        return found
    far, params = f"NOT {NEAR}", [*box]
    if len(wanted) < 2 ** FAR_FEATURES.bit_count():  # not every value: say which
        far += f" AND (features & %s) IN ({', '.join(['%s'] * len(wanted))})"
        params += [FAR_FEATURES, *wanted]
    return ranking.rank(profile, rows + candidate_rows(profile, far, params), weights, limit)


# --- what result pages show -----------------------------------------------------------------


def services_for_display(matches) -> dict[str, Service]:
    """{service id: Service with its organization} for a page of matches (one query)."""
    ids = list({m.service_id for m in matches})
    return {s.pk: s for s in Service.objects.filter(pk__in=ids).select_related("organization")}


def locations_for_display(matches) -> dict[str, Location]:
    """{location id: Location with its addresses prefetched} for the sites matches were measured to."""
    ids = [m.location_id for m in matches if m.location_id]
    return {
        loc.pk: loc for loc in Location.objects.filter(pk__in=ids).prefetch_related("addresses")
    }


# --- matching for one person (after the gate) -----------------------------------------------


@dataclass
class MatchRun:
    """One "Find services": what was searched for, what was not known, and the results."""

    profile: ranking.NeedProfile
    needs: list  # the needs searched for (assessments.Need)
    matches: list[ranking.Match]
    services: dict[str, Service]
    locations: dict[str, Location]
    unknown: list[str]  # facts matching could not use: "languages", "age", "place", ...
    origin_source: str  # "postal_code" | "typed" | ""


def _age_range(birth_year: int | None, today) -> tuple[int, int] | None:
    if not birth_year or birth_year > today.year:
        return None
    return today.year - birth_year - 1, today.year - birth_year


def person_profile(
    access,
    categories: Iterable[str],
    *,
    origin: tuple[float, float] | None = None,
    radius_miles: float | None = None,
    require_undocumented: bool = False,
    as_of=None,
) -> tuple[ranking.NeedProfile, list[str], str, list[str]]:
    """The matching profile of a person the caller already passed the gate for.

    Reads only what ``access`` allows: demographics (age, gender, preferences), communication
    (languages) and contact (the postal code, for the distance origin unless ``origin`` is
    given). Returns
    (profile, unknown facts, origin source, data categories read).
    """
    person = access.person
    as_of = as_of or timezone.now()
    unknown: list[str] = []
    read: list[str] = ["needs"]
    fields: dict = {}
    if access.can("demographics"):
        read.append("demographics")
        fields["age_range"] = _age_range(person.birth_year, timezone.localdate(as_of))
        gender = person.gender_identity if person.gender_identity != DECLINED else ""
        fields["gender"] = gender
        if person.staff_gender_preference in ranking.STAFF_BITS:
            fields["staff_gender_preference"] = person.staff_gender_preference
        if person.faith_preference in ("faith_based", "secular"):
            fields["faith_preference"] = person.faith_preference
        if fields["age_range"] is None:
            unknown.append("age")
        if not gender:
            unknown.append("gender")
    else:
        unknown += ["age", "gender", "preferences"]
    # Languages are communication needs, a consent category of their own.
    fields["languages"] = ()
    if access.can("communication"):
        read.append("communication")
        fields["languages"] = tuple(c for c in person.preferred_languages if c)[:8]
    if not fields["languages"]:
        unknown.append("languages")
    source = "typed" if origin is not None else ""
    if origin is None and access.can("contact"):
        read.append("contact")
        identity = identity_of(person)
        if identity is not None and identity.postal_code:
            origin = zip_centroid(identity.postal_code)
            source = "postal_code" if origin is not None else ""
    if origin is None:
        unknown.append("place")
    profile = ranking.NeedProfile(
        categories=frozenset(categories),
        as_of=as_of,
        origin=origin,
        radius_miles=radius_miles if origin is not None else None,
        distance_scale_miles=float(radius_miles or settings.WAYFINDER_MATCH_RADIUS_MILES),
        require_undocumented=require_undocumented,
        stale_after_days=settings.WAYFINDER_CAPACITY_STALE_DAYS,
        **fields,
    )
    return profile, unknown, source, read


def _needs_and_profile(access, need_id, *, origin, radius_miles, require_undocumented):
    """The open needs matched (one of them, or 404 when ``need_id`` is not among those this
    reader may see) and the person's profile for their categories."""
    needs = open_needs(access)
    if need_id is not None:
        needs = [n for n in needs if str(n.pk) == str(need_id)]
        if not needs:
            raise Http404
    return needs, person_profile(
        access,
        {n.category for n in needs},
        origin=origin,
        radius_miles=radius_miles,
        require_undocumented=require_undocumented,
    )


def find_services(
    actor,
    access,
    *,
    need_id=None,
    origin: tuple[float, float] | None = None,
    radius_miles: float | None = None,
    require_undocumented: bool = False,
    limit: int = 10,
) -> MatchRun:
    """Rank services for the person's open needs (or one of them), audited as a read.

    ``need_id`` not among the open needs this reader may see raises Http404.
    """
    needs, (profile, unknown, source, read) = _needs_and_profile(
        access,
        need_id,
        origin=origin,
        radius_miles=radius_miles,
        require_undocumented=require_undocumented,
    )
    matches = top_matches(profile, settings.WAYFINDER_MATCH_WEIGHTS, limit) if needs else []
    categories = sorted({*read, *(c for n in needs for c in n.data_categories)})
    record(
        "matching.run",
        category="matching",
        actor=actor,
        person=access.person,
        categories=categories,
        detail={
            "needs": [str(n.pk) for n in needs],
            "results": len(matches),
            "radius": radius_miles,
            "origin": source,
            **({} if access.is_owner else {"consents": access.consent_ids_for(categories)}),
        },
    )
    return MatchRun(
        profile=profile,
        needs=needs,
        matches=matches,
        services=services_for_display(matches),
        locations=locations_for_display(matches),
        unknown=unknown,
        origin_source=source,
    )


# --- "Services for open needs": every need with its own results, most urgent first ----------


@dataclass
class NeedGroup:
    """One need and the services for it: ``matches`` accept referrals now (best first);
    ``closed`` pass every other filter but are not accepting referrals at present."""

    need: object  # assessments.Need
    matches: list[ranking.Match]
    closed: list[ranking.Match]


@dataclass(frozen=True)
class ReferralCheck:
    """What a referral to a service's organisation could carry, known before "Refer".

    ``agency`` is the network agency listed as the organisation (None: not a member);
    ``network`` whether it has an inbox here; ``categories`` what its active referral
    consents grant (None: no such consent).
    """

    agency: object  # accounts.Agency | None
    network: bool
    categories: frozenset[str] | None


@dataclass
class GroupedRun:
    profile: ranking.NeedProfile
    needs: list
    groups: list[NeedGroup]
    services: dict[str, Service]
    locations: dict[str, Location]
    checks: dict[str, ReferralCheck]  # service id -> check (owning agency only; else {})
    unknown: list[str]
    origin_source: str


def _referral_checks(person, services: dict[str, Service]) -> dict[str, ReferralCheck]:
    """For each service, its agency, whether it is on Wayfinder and what the person's referral
    consents for that agency grant. Three queries, whatever the number of services."""
    by_org = {s.organization_id for s in services.values() if s.organization_id}
    agencies = {
        a.directory_organization_id: a
        for a in Agency.objects.filter(directory_organization_id__in=by_org, is_active=True)
    }
    agency_ids = [a.pk for a in agencies.values()]
    with_inbox = set(
        Membership.objects.filter(
            agency_id__in=agency_ids, is_active=True, role__in=CASEWORK_ROLES, user__is_active=True
        ).values_list("agency_id", flat=True)
    )
    granted: dict = {}
    consents = (
        Consent.objects.active()
        .filter(person_id=person.pk, recipient_agency_id__in=agency_ids)
        .for_purpose(Purpose.REFERRAL)
    )
    for consent in consents:
        granted[consent.recipient_agency_id] = (
            granted.get(consent.recipient_agency_id, frozenset()) | consent.granted_categories
        )
    checks = {}
    for sid, service in services.items():
        agency = agencies.get(service.organization_id)
        checks[sid] = ReferralCheck(
            agency=agency,
            network=agency is not None and agency.pk in with_inbox,
            categories=granted.get(agency.pk) if agency is not None else None,
        )
    return checks


def consent_gap(check: ReferralCheck | None, need) -> str | None:
    """Why a referral for ``need`` could not be sent to this service yet, or None.

    "none": the agency is on Wayfinder and no referral consent names it; a data category
    (such as "health"): the consent does not cover what a referral for this need reveals.
    Organisations not on Wayfinder get a packet holding only what a consent names: no gap.
    """
    if check is None or check.agency is None:
        return None
    if check.categories is None:
        return "none" if check.network else None
    extra = NEED_DATA_CATEGORY.get(need.category)
    if extra and extra not in check.categories:
        return extra
    return None


def find_services_by_need(
    actor,
    access,
    *,
    need_id=None,
    origin: tuple[float, float] | None = None,
    radius_miles: float | None = None,
    require_undocumented: bool = False,
    per_need: int = 10,
    closed_per_need: int = 3,
) -> GroupedRun:
    """Rank services for each open need on its own (most urgent need first), audited as one read.

    One candidate query for every need's category together (accepting or not); ranking runs
    once per category on that category's rows, so a crisis line never competes with housing.
    Services not accepting referrals are ranked apart and shown marked, after the others.
    """
    needs, (profile, unknown, source, read) = _needs_and_profile(
        access,
        need_id,
        origin=origin,
        radius_miles=radius_miles,
        require_undocumented=require_undocumented,
    )
    weights = settings.WAYFINDER_MATCH_WEIGHTS
    rows_by_category: dict[str, tuple[list, list]] = {}
    if needs:
        for row in candidate_rows(replace(profile, require_accepting=False)):
            open_, closed = rows_by_category.setdefault(row["category"], ([], []))
            (open_ if row["accepting_referrals"] else closed).append(row)
    ranked: dict[str, tuple[list, list]] = {}
    groups = []
    for need in needs:
        if need.category not in ranked:
            open_, closed = rows_by_category.get(need.category, ([], []))
            one = replace(profile, categories=frozenset({need.category}))
            ranked[need.category] = (
                ranking.rank(one, open_, weights, per_need),
                ranking.rank(
                    replace(one, require_accepting=False), closed, weights, closed_per_need
                ),
            )
        matches, closed = ranked[need.category]
        groups.append(NeedGroup(need=need, matches=matches, closed=closed))
    shown = [m for g in groups for m in (*g.matches, *g.closed)]
    categories = sorted({*read, *(c for n in needs for c in n.data_categories)})
    record(
        "matching.run",
        category="matching",
        actor=actor,
        person=access.person,
        categories=categories,
        detail={
            "needs": [str(n.pk) for n in needs],
            "results": len({m.service_id for m in shown}),
            "radius": radius_miles,
            "origin": source,
            **({} if access.is_owner else {"consents": access.consent_ids_for(categories)}),
        },
    )
    services = services_for_display(shown)
    return GroupedRun(
        profile=profile,
        needs=needs,
        groups=groups,
        services=services,
        locations=locations_for_display(shown),
        checks=_referral_checks(access.person, services) if access.is_owner else {},
        unknown=unknown,
        origin_source=source,
    )
