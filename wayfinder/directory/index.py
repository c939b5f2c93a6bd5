"""Keep ``ServiceCategoryIndex`` (the rows the matching query reads) in step with the directory.

Call ``reindex_services(ids)`` after any write that changes a service's status, its Wayfinder
category attributes, its locations (or their coordinates) or its capacity. The directory's actions
and the importer do; code that writes directory rows directly must too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from wayfinder.directory.models import (
    Attribute,
    Location,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    ServiceCategoryIndex,
)
from wayfinder.directory.taxonomy import CATEGORY_BY_TERM_ID

BATCH = 500


def _valid(lat, lng) -> bool:
    return lat is not None and lng is not None and -90 <= lat <= 90 and -180 <= lng <= 180


def reindex_services(service_ids: Iterable[str]) -> int:
    """Rebuild the index rows of these services (unknown ids are ignored). Returns rows written."""
    ids = sorted({str(i) for i in service_ids if i})
    written = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        ServiceCategoryIndex.objects.filter(service_id__in=chunk).delete()
        status = dict(Service.objects.filter(pk__in=chunk).values_list("id", "status"))
        if not status:
            continue
        categories = defaultdict(set)
        for link_id, term_id in Attribute.objects.filter(
            link_id__in=list(status), taxonomy_term_id__in=list(CATEGORY_BY_TERM_ID)
        ).values_list("link_id", "taxonomy_term_id"):
            categories[link_id].add(CATEGORY_BY_TERM_ID[term_id])
        accepting = dict(
            ServiceCapacity.objects.filter(service_id__in=list(status)).values_list(
                "service_id", "accepting_referrals"
            )
        )
        site_ids = defaultdict(list)
        for service_id, location_id in (
            ServiceAtLocation.objects.filter(service_id__in=list(status))
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
            sites = [(loc, *coords[loc]) for loc in site_ids.get(service_id, []) if loc in coords]
            for category in sorted(cats):
                for location_id, lat, lng in sites or [(None, None, None)]:
                    rows.append(
                        ServiceCategoryIndex(
                            service_id=service_id,
                            category=category,
                            status=status[service_id],
                            accepting_referrals=accepting.get(service_id, True),
                            location_id=location_id,
                            latitude=lat,
                            longitude=lng,
                        )
                    )
        ServiceCategoryIndex.objects.bulk_create(rows, batch_size=BATCH)
        written += len(rows)
    return written


def reindex_all() -> int:
    """Rebuild the whole index (after a bulk load that bypassed the actions)."""
    ServiceCategoryIndex.objects.all().delete()
    return reindex_services(Service.objects.values_list("id", flat=True).iterator())
