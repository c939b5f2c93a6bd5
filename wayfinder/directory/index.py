"""Keep ``ServiceCategoryIndex`` (the rows the matching query reads) in step with the directory.

Call ``reindex_services(ids)`` after any write that changes a service's status, ages, Wayfinder
attributes, languages, service areas, locations (or their coordinates) or capacity. The directory's actions and
the importer do; code that writes directory rows directly must too (or call ``reindex_all()``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps as global_apps

from wayfinder.directory import bits
from wayfinder.directory.geo import area_polygons
from wayfinder.directory.taxonomy import (
    CATEGORY_BY_TERM_ID,
    FAITH_BASED_TERM_ID,
    GENDERS,
    Feature,
    feature_term_id,
    gender_term_id,
)

BATCH = 500

# Wayfinder attribute term -> bit of the row's ``features`` mask (see ``matching.ranking``).
FEATURE_BITS = {
    feature_term_id(Feature.TRAUMA_INFORMED): bits.TRAUMA_INFORMED,
    feature_term_id(Feature.TRAFFICKING_SPECIFIC): bits.TRAFFICKING_SPECIFIC,
    feature_term_id(Feature.INTERPRETER_AVAILABLE): bits.INTERPRETER_AVAILABLE,
    feature_term_id(Feature.SERVES_UNDOCUMENTED): bits.SERVES_UNDOCUMENTED,
    feature_term_id(Feature.SURVIVOR_LED): bits.SURVIVOR_LED,
    feature_term_id(Feature.LGBTQ_AFFIRMING): bits.LGBTQ_AFFIRMING,
    feature_term_id(Feature.FREE_OF_COST): bits.FREE_OF_COST,
    FAITH_BASED_TERM_ID: bits.FAITH_BASED,
    **{gender_term_id(g): bits.GENDER_BITS[g] for g in GENDERS if g in bits.GENDER_BITS},
}
STAFF_GENDER_TERM = feature_term_id(Feature.STAFF_GENDER)
STAFF_VALUE_BITS = {
    "women": bits.STAFF_WOMEN,
    "men": bits.STAFF_MEN,
    "mixed": bits.STAFF_MIXED,
}


def feature_mask(attributes: Iterable[tuple[str, str]]) -> int:
    """The ``features`` bits of a service's (taxonomy term id, value) attributes."""
    mask = 0
    for term, value in attributes:
        if term in FEATURE_BITS:
            mask |= FEATURE_BITS[term]
        elif term == STAFF_GENDER_TERM:
            mask |= STAFF_VALUE_BITS.get((value or "").strip().lower(), 0)
    return mask


def _valid(lat, lng) -> bool:
    return lat is not None and lng is not None and -90 <= lat <= 90 and -180 <= lng <= 180


def reindex_services(service_ids: Iterable[str], apps=global_apps) -> int:
    """Rebuild the index rows of these services (unknown ids are ignored). Returns rows written.

    ``apps`` lets a data migration pass its historical models.
    """

    def model(name):
        return apps.get_model("directory", name)

    Attribute, Language, Location = model("Attribute"), model("Language"), model("Location")
    Service, ServiceAtLocation = model("Service"), model("ServiceAtLocation")
    ServiceCapacity, ServiceCategoryIndex = model("ServiceCapacity"), model("ServiceCategoryIndex")
    ServiceArea = model("ServiceArea")
    terms = [*CATEGORY_BY_TERM_ID, *FEATURE_BITS, STAFF_GENDER_TERM]

    ids = sorted({str(i) for i in service_ids if i})
    written = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        ServiceCategoryIndex.objects.filter(service_id__in=chunk).delete()
        services = {
            pk: (status, low, high)
            for pk, status, low, high in Service.objects.filter(pk__in=chunk).values_list(
                "id", "status", "minimum_age", "maximum_age"
            )
        }
        if not services:
            continue
        categories = defaultdict(set)
        attributes = defaultdict(list)
        for link_id, term_id, value in Attribute.objects.filter(
            link_id__in=list(services), taxonomy_term_id__in=terms
        ).values_list("link_id", "taxonomy_term_id", "value"):
            if term_id in CATEGORY_BY_TERM_ID:
                categories[link_id].add(CATEGORY_BY_TERM_ID[term_id])
            else:
                attributes[link_id].append((term_id, value))
        spoken = defaultdict(set)
        for service_id, code in Language.objects.filter(service_id__in=list(services)).values_list(
            "service_id", "code"
        ):
            if code and code.strip():
                spoken[service_id].add(code.strip().lower())
        capacity = {
            row[0]: row[1:]
            for row in ServiceCapacity.objects.filter(service_id__in=list(services)).values_list(
                "service_id", "accepting_referrals", "available", "waitlist_days", "updated"
            )
        }
        areas = defaultdict(list)
        for service_id, name, extent, extent_type in (
            ServiceArea.objects.filter(service_id__in=list(services))
            .order_by("id")
            .values_list("service_id", "name", "extent", "extent_type")
        ):
            if polygons := area_polygons(extent, extent_type):
                areas[service_id].append({"name": name or "", "polygons": polygons})
        site_ids: defaultdict[str, list[str]] = defaultdict(list)
        for service_id, location_id in (
            ServiceAtLocation.objects.filter(service_id__in=list(services))
            .exclude(location_id=None)
            .order_by("id")
            .values_list("service_id", "location_id")
        ):
            if location_id not in site_ids[service_id]:
                site_ids[service_id].append(location_id)
        coords = {
            pk: (lat, lng) if _valid(lat, lng) else (None, None)
            for pk, lat, lng in Location.objects.filter(
                pk__in=[loc for locs in site_ids.values() for loc in locs]
            ).values_list("id", "latitude", "longitude")
        }
        rows = []
        for service_id, cats in categories.items():
            status, low, high = services[service_id]
            accepting, available, waitlist_days, updated = capacity.get(
                service_id, (True, None, None, None)
            )
            codes = spoken.get(service_id)
            facts = {
                "service_id": service_id,
                "status": status,
                "accepting_referrals": accepting,
                "features": feature_mask(attributes.get(service_id, ())),
                "languages": f" {' '.join(sorted(codes))} " if codes else "",
                "minimum_age": low,
                "maximum_age": high,
                "available": available,
                "waitlist_days": waitlist_days,
                "capacity_updated": updated,
                "service_areas": json.dumps(areas[service_id]) if areas.get(service_id) else "",
            }
            sites = [(loc, *coords[loc]) for loc in site_ids.get(service_id, []) if loc in coords]
            for category in sorted(cats):
                for location_id, lat, lng in sites or [(None, None, None)]:
                    rows.append(
                        ServiceCategoryIndex(
                            category=category,
                            location_id=location_id,
                            latitude=lat,
                            longitude=lng,
                            **facts,
                        )
                    )
        ServiceCategoryIndex.objects.bulk_create(rows, batch_size=BATCH)
        written += len(rows)
    return written


def reindex_all(apps=global_apps) -> int:
    """Rebuild the whole index (after a bulk load that bypassed the actions, or a migration)."""
    apps.get_model("directory", "ServiceCategoryIndex").objects.all().delete()
    ids = apps.get_model("directory", "Service").objects.values_list("id", flat=True)
    return reindex_services(list(ids), apps)
