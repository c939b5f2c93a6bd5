"""Reads of the directory pages: search with filters and distance, cards, one service in full.

The directory holds no personal data; capacity is private to signed-in members (``members``).
"""

from __future__ import annotations

import math
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from datetime import timezone as dt_timezone
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from wayfinder.core.db import planned_each_time
from wayfinder.core.languages import language_codes
from wayfinder.core.service_categories import ServiceCategory
from wayfinder.directory.geo import bounding_box, miles
from wayfinder.directory.models import (
    Attribute,
    Language,
    Location,
    Metadata,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    ServiceStatus,
)
from wayfinder.directory.taxonomy import (
    CATEGORY_BY_TERM_ID,
    FAITH_BASED_TERM_ID,
    FEATURE_BY_TERM_ID,
    GENDER_BY_TERM_ID,
    GENDERS,
    Feature,
    StaffGender,
    category_term_id,
    feature_term_id,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _has_attribute(term: str, value: str | None = None) -> Exists:
    qs = Attribute.objects.filter(link_id=OuterRef("pk"), taxonomy_term_id=term)
    if value is not None:
        qs = qs.filter(value=value)
    return Exists(qs)


# --- "open now" ----------------------------------------------------------------------------------
# A schedule is read in its own HSDS ``timezone`` (a UTC offset in hours) or, without one, in
# WAYFINDER_DIRECTORY_TIME_ZONE. Times are "HH:MM" or "HH:MM:SS" (anything after is ignored); a
# closing time of 23:59 is the end of the day, and one at or before the opening time runs into
# the next day (20:00-08:00; 18:00-00:00 is "until midnight"). valid_from and valid_to bound the
# day a session starts on. MONTHLY schedules never count. ``open_now_q`` (SQL) and ``is_open``
# (Python) say the same: test_open_now.py checks it on random schedules.

END_OF_DAY = "24:00:00"


def schedule_zone(offset: float | None) -> tzinfo:
    """The time zone a schedule's times are in: its UTC offset, else the directory's zone.

    An offset no place has (outside -12..+14 hours) counts as none.
    """
    if offset is not None and math.isfinite(offset) and -12 <= offset <= 14:
        return dt_timezone(timedelta(minutes=round(offset * 60)))
    return ZoneInfo(settings.WAYFINDER_DIRECTORY_TIME_ZONE)


def _hms(value: str) -> str:
    """ "HH:MM" or "HH:MM:SS" (and anything after) as "HH:MM:SS", as ``_HMS_SQL`` does."""
    return value[:8] if value[5:6] == ":" else value[:5] + ":00"


def _closing(value: str) -> str:
    hms = _hms(value)
    return END_OF_DAY if hms in ("23:59:00", "23:59:59") else hms


# Raw SQL (the same in SQLite and PostgreSQL) rather than nested Case/Substr expressions, which
# Django took ~100 ms per UTC offset to resolve (now ~6 ms). Column names are unqualified: no
# other table in the query has these columns.
_HMS_SQL = (
    "CASE WHEN SUBSTR({c}, 6, 1) = ':' THEN SUBSTR({c}, 1, 8) ELSE SUBSTR({c}, 1, 5) || ':00' END"
)
_OPENS_SQL = _HMS_SQL.format(c="opens_at")
_CLOSES_SQL = (
    f"CASE WHEN {_HMS_SQL.format(c='closes_at')} IN ('23:59:00', '23:59:59') "
    f"THEN '{END_OF_DAY}' ELSE {_HMS_SQL.format(c='closes_at')} END"
)


def _valid_on(schedule: Schedule, day: date) -> bool:
    iso, start, end = day.isoformat(), schedule.valid_from or "", schedule.valid_to or ""
    return (not start or start[:10] <= iso) and (not end or end[:10] >= iso)


def _valid_on_q(day: date) -> Q:
    iso = day.isoformat()
    return (Q(valid_from="") | Q(valid_from_day__lte=iso)) & (
        Q(valid_to="") | Q(valid_to_day__gte=iso)
    )


def _days(byday: str | None, *days: date) -> list[bool]:
    codes = (byday or "").upper()
    return [DAY_CODES[d.weekday()] in codes for d in days]


def _open_schedules(now: datetime) -> QuerySet[Schedule]:
    offsets = (
        Schedule.objects.exclude(timezone=None)
        .order_by()
        .values_list("timezone", flat=True)
        .distinct()
    )
    rows = (
        Schedule.objects.exclude(freq__iexact="MONTHLY")
        .exclude(opens_at="")
        .exclude(closes_at="")
        .annotate(
            opens=RawSQL(_OPENS_SQL, [], output_field=TextField()),  # noqa: S611
            closes=RawSQL(_CLOSES_SQL, [], output_field=TextField()),  # noqa: S611
            valid_from_day=Substr("valid_from", 1, 10),
            valid_to_day=Substr("valid_to", 1, 10),
        )
    )
    overnight = Q(closes__lte=F("opens"))
    conditions = []
    for offset in [None, *sorted(o for o in offsets if o is not None)]:  # the one query for offsets
        local = now.astimezone(schedule_zone(offset))
        clock, today = local.strftime("%H:%M:%S"), local.date()
        yesterday = today - timedelta(days=1)
        started_today = (
            Q(byday__icontains=DAY_CODES[today.weekday()])
            & _valid_on_q(today)
            & Q(opens__lte=clock)
            & (overnight | Q(closes__gt=clock))
        )
        from_yesterday = (
            Q(byday__icontains=DAY_CODES[yesterday.weekday()])
            & _valid_on_q(yesterday)
            & overnight
            & Q(closes__gt=clock)
        )
        conditions.append(Q(timezone=offset) & (started_today | from_yesterday))
    return rows.filter(reduce(or_, conditions))


def open_now_q(now: datetime) -> Q:
    """Services with a weekly schedule (their own or a site's) open at ``now``.

    Costs one small query (the UTC offsets schedules give) when called; the search stays one query.
    """
    open_rows = _open_schedules(now)
    return Q(Exists(open_rows.filter(service_id=OuterRef("pk")))) | Q(
        Exists(open_rows.filter(service_at_location__service_id=OuterRef("pk")))
    )


def is_open(schedules, now: datetime) -> bool:
    """Whether any of ``schedules`` is open at ``now`` (the service page's badge)."""
    for s in schedules:
        if (s.freq or "").upper() == "MONTHLY" or not s.opens_at or not s.closes_at:
            continue
        local = now.astimezone(schedule_zone(s.timezone))
        clock, today = local.strftime("%H:%M:%S"), local.date()
        yesterday = today - timedelta(days=1)
        opens, closes = _hms(s.opens_at), _closing(s.closes_at)
        overnight = closes <= opens
        on_today, on_yesterday = _days(s.byday, today, yesterday)
        if on_today and _valid_on(s, today) and opens <= clock and (overnight or clock < closes):
            return True
        if overnight and on_yesterday and _valid_on(s, yesterday) and clock < closes:
            return True
    return False


def filtered(data: dict, *, members: bool, now: datetime) -> QuerySet[Service]:
    """Active services that meet every filter of a cleaned ``SearchForm`` (distance aside)."""
    qs = Service.objects.filter(status=ServiceStatus.ACTIVE)
    if q := (data.get("q") or "").strip():
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(alternate_name__icontains=q)
            | Q(description__icontains=q)
            | Q(organization__name__icontains=q)
        )
    if data.get("category"):
        qs = qs.filter(_has_attribute(category_term_id(data["category"])))
    if data.get("language"):
        qs = qs.filter(
            Exists(
                Language.objects.filter(
                    service_id=OuterRef("pk"), code__in=language_codes(data["language"])
                )
            )
        )
    for feature in Feature:
        if feature != Feature.STAFF_GENDER and data.get(feature.value):
            qs = qs.filter(_has_attribute(feature_term_id(feature)))
    if data.get("staff_gender"):
        qs = qs.filter(_has_attribute(feature_term_id(Feature.STAFF_GENDER), data["staff_gender"]))
    if data.get("open_now"):
        qs = qs.filter(open_now_q(now))
    if members and data.get("accepting"):
        qs = qs.filter(
            ~Exists(
                ServiceCapacity.objects.filter(service_id=OuterRef("pk"), accepting_referrals=False)
            )
        )
    return qs


# A search by name counts its matches up to here and then says "More than 10,000 services.".
COUNT_CAP = 10_000
# A search near a place reads the sites within this distance first, and twice as far each time
# until it holds the page; past the last reach a search with no radius reads every site.
FIRST_REACH_MILES = 1.0
# The last page anyone may ask for: past it no OFFSET is read and no "Next" is offered.
PAGE_LIMIT = 10_000
LAST_REACH_MILES = 512.0


@dataclass
class ResultPage:
    """One page of a directory search: its rows and what is known of the rest.

    ``rows``: (service id, miles to its nearest site or None), in the search's order.
    ``count``: every match, or (``capped``) a number the matches are known to exceed.
    """

    rows: list[tuple[str, float | None]]
    number: int
    per_page: int
    count: int
    capped: bool
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def num_pages(self) -> int | None:
        """None when the count is capped (the last page is not known)."""
        return None if self.capped else max(1, math.ceil(self.count / self.per_page))


def search_page(
    data: dict, *, members: bool, now: datetime, page: int = 1, per_page: int = 25
) -> ResultPage:
    """Page ``page`` of the services that match a cleaned ``SearchForm``.

    With a place: nearest first (by the service's nearest site, then id), only sites within the
    radius if one is given; services with no located site are left out. Without: by name, then
    id. Either way the page is read without reading every match: by name, the count stops at
    ``COUNT_CAP``; near a place, the sites are read outwards until the page is held.
    """
    qs = filtered(data, members=members, now=now)
    page = min(max(1, page), PAGE_LIMIT)
    # How many services a text search's words match decides its best plan, so it is planned for
    # its own words each time, not prepared once for any (wayfinder.core.db: a generic plan took
    # the 10^5-service bench's text search from 55-59 to 79-90 ms, docs/benchmarks.md).
    text = bool((data.get("q") or "").strip())
    with planned_each_time(qs.db) if text else nullcontext():
        found = _page(qs, data, page, per_page)
    found.has_next = found.has_next and found.number < PAGE_LIMIT
    return found


def _page(qs: QuerySet[Service], data: dict, page: int, per_page: int) -> ResultPage:
    if data.get("near") is None:
        return _by_name(qs, page, per_page, one_pass=bool((data.get("q") or "").strip()))
    ordered, complete = _nearest(qs, data["near"], data.get("radius"), page * per_page + 1)
    if complete:
        page = min(page, max(1, math.ceil(len(ordered) / per_page)))
    start = (page - 1) * per_page
    return ResultPage(
        rows=[(pk, d) for pk, d in ordered[start : start + per_page]],
        number=page,
        per_page=per_page,
        # Stopped early: more than this page's end is all that is known (and all that is read).
        count=len(ordered) if complete else start + per_page,
        capped=not complete,
        has_next=len(ordered) > start + per_page,
    )


def _by_name(qs: QuerySet[Service], page: int, per_page: int, *, one_pass: bool) -> ResultPage:
    """By name: the count (up to the cap), then the page along the name index. A text search
    (``one_pass``) reads every service anyway, as no index serves ``icontains``: it reads its
    matches up to the cap in order at once, rather than twice."""
    ordered = qs.order_by("name", "id").values_list("id", flat=True)
    head = list(ordered[: COUNT_CAP + 1]) if one_pass else None
    count = len(head) if head is not None else qs.order_by().values("id")[: COUNT_CAP + 1].count()
    capped = count > COUNT_CAP
    if not capped:  # past the end: the last page, as Django's Paginator.get_page does
        page = min(page, max(1, math.ceil(count / per_page)))
    start, end = (page - 1) * per_page, page * per_page + 1
    if head is not None and (end <= len(head) or not capped):
        ids = head[start:end]
    else:
        ids = list(ordered[start:end])
    rows: list[tuple[str, float | None]] = [(pk, None) for pk in ids[:per_page]]
    return ResultPage(rows, page, per_page, min(count, COUNT_CAP), capped, len(ids) > per_page)


def _nearest(
    qs: QuerySet[Service], origin: tuple[float, float], radius, wanted: int
) -> tuple[list[tuple[str, float]], bool]:
    """The matches nearest ``origin`` first, at least ``wanted`` of them where there are; and
    whether that is every match.

    Each round reads the sites within a box around the place and keeps the services whose
    nearest site is within the reach: every site nearer than the reach is in the box, so those
    services are exactly the first ones of the whole order. The reach doubles until they are
    ``wanted`` or the radius (with none, the whole map) is reached.
    """
    lat0, lng0 = origin
    limit = float(radius) if radius else None
    reach = FIRST_REACH_MILES
    while True:
        final = reach >= limit if limit is not None else reach > LAST_REACH_MILES
        if final and limit is not None:
            reach = limit
        sites = ServiceAtLocation.objects.filter(
            service_id__in=qs.values("id"),
            location__latitude__isnull=False,
            location__longitude__isnull=False,
        ).order_by()  # the order is made below
        if not (final and limit is None):
            min_lat, max_lat, min_lng, max_lng = bounding_box(lat0, lng0, reach)
            sites = sites.filter(
                location__latitude__range=(min_lat, max_lat),
                location__longitude__range=(min_lng, max_lng),
            )
        nearest: dict[str, float] = {}
        for sid, lat, lng in sites.values_list(
            "service_id", "location__latitude", "location__longitude"
        ):
            if lat is None or lng is None:  # excluded by the query; the columns are nullable
                continue
            d = miles(lat0, lng0, lat, lng)
            if d < nearest.get(sid, math.inf):
                nearest[sid] = d
        if not (final and limit is None):
            nearest = {sid: d for sid, d in nearest.items() if d <= reach}
        if final or len(nearest) >= wanted:
            return sorted(nearest.items(), key=lambda item: (item[1], item[0])), final
        reach *= 2


@dataclass
class Card:
    """What a directory listing shows for one service."""

    service: Service
    distance: float | None = None
    categories: list[str] = field(default_factory=list)
    features: list[str] = field(default_factory=list)
    staff_gender: str = ""
    only_for: list[str] = field(default_factory=list)
    faith_based: bool = False
    languages: list[str] = field(default_factory=list)
    capacity: ServiceCapacity | None = None

    @property
    def category_labels(self) -> list[StrOrPromise]:
        return [ServiceCategory(c).label for c in self.categories]

    @property
    def feature_labels(self) -> list[StrOrPromise]:
        return [Feature(f).label for f in self.features]

    @property
    def staff_gender_label(self) -> StrOrPromise:
        return (
            StaffGender(self.staff_gender).label if self.staff_gender in StaffGender.values else ""
        )

    @property
    def only_for_labels(self) -> list[StrOrPromise]:
        return [GENDERS[g] for g in self.only_for]

    @property
    def capacity_stale(self) -> bool:
        return is_stale(self.capacity)

    @property
    def openings(self) -> int | None:
        c = self.capacity
        return int(c.available) if c is not None and c.available is not None else None


def is_stale(capacity: ServiceCapacity | None, now: datetime | None = None) -> bool:
    if capacity is None:
        return False
    age = (now or timezone.now()) - capacity.updated
    return age > timedelta(days=settings.WAYFINDER_CAPACITY_STALE_DAYS)


def cards(rows: list[tuple[str, float | None]], *, members: bool) -> list[Card]:
    """Cards for one page of ``search`` rows, in that order (four queries whatever the size)."""
    ids = [pk for pk, _d in rows]
    services = {
        s.pk: s
        for s in Service.objects.filter(pk__in=ids)
        .select_related("organization")
        .prefetch_related("languages")
    }
    capacity = (
        {c.service_id: c for c in ServiceCapacity.objects.filter(service_id__in=ids)}
        if members
        else {}
    )
    result = {
        pk: Card(service=services[pk], distance=d, capacity=capacity.get(pk))
        for pk, d in rows
        if pk in services
    }
    for link_id, term, value in (
        Attribute.objects.filter(link_id__in=ids)
        .order_by("taxonomy_term_id")
        .values_list("link_id", "taxonomy_term_id", "value")
    ):
        card = result.get(link_id)
        if card is None:
            continue
        if term in CATEGORY_BY_TERM_ID:
            card.categories.append(CATEGORY_BY_TERM_ID[term])
        elif term in GENDER_BY_TERM_ID:
            card.only_for.append(GENDER_BY_TERM_ID[term])
        elif term == FAITH_BASED_TERM_ID:
            card.faith_based = True
        elif FEATURE_BY_TERM_ID.get(term) == Feature.STAFF_GENDER:
            card.staff_gender = value
        elif term in FEATURE_BY_TERM_ID:
            card.features.append(FEATURE_BY_TERM_ID[term])
    order = {c: i for i, c in enumerate(ServiceCategory.values)}
    feature_order = {f: i for i, f in enumerate(Feature.values)}
    for card in result.values():
        card.categories.sort(key=order.__getitem__)
        card.features.sort(key=feature_order.__getitem__)
        card.languages = sorted({lang.code for lang in card.service.languages.all() if lang.code})
    return [result[pk] for pk in ids if pk in result]


# --- one service --------------------------------------------------------------------------------


def _offset_text(offset: float | None) -> str:
    """ "(UTC-03:30)" for a schedule whose hours give their own UTC offset, else ""."""
    zone = schedule_zone(offset)
    if not isinstance(zone, dt_timezone):
        return ""
    minutes = round(zone.utcoffset(None).total_seconds() / 60)
    sign = "-" if minutes < 0 else "+"
    return f"(UTC{sign}{abs(minutes) // 60:02}:{abs(minutes) % 60:02})"


def schedule_text(schedule: Schedule) -> str:
    """Days and hours ("Monday to Friday 09:00-17:00") from the HSDS recurrence fields."""
    days = [d.strip().upper() for d in (schedule.byday or "").split(",") if d.strip()]
    names = {
        "MO": _("Mon"),
        "TU": _("Tue"),
        "WE": _("Wed"),
        "TH": _("Thu"),
        "FR": _("Fri"),
        "SA": _("Sat"),
        "SU": _("Sun"),
    }
    parts = []
    if days == DAY_CODES:
        parts.append(_("Every day"))
    elif days == DAY_CODES[:5]:
        parts.append(_("Monday to Friday"))
    elif days:
        parts.append(", ".join(str(names.get(d, d)) for d in days))
    if schedule.opens_at and schedule.closes_at:
        if schedule.opens_at[:5] == "00:00" and schedule.closes_at[:5] in ("23:59", "24:00"):
            parts.append(_("24 hours"))
        else:
            parts.append(f"{schedule.opens_at[:5]}\u2013{schedule.closes_at[:5]}")  # en dash
    if parts and (offset := _offset_text(schedule.timezone)):
        parts.append(offset)
    text = " ".join(parts)
    if schedule.description:
        text = f"{text} ({schedule.description})" if text else schedule.description
    return text


@dataclass
class ServicePage:
    card: Card
    schedules: list
    locations: list  # Location with addresses and accessibility prefetched
    phones: list
    cost_options: list
    freshness: list  # (field name, last change datetime string, by)
    open_now: bool


def service_page(service: Service, *, members: bool, now: datetime) -> ServicePage:
    """Everything the service page shows, with how fresh each part is."""
    [card] = cards([(service.pk, None)], members=members)
    site_ids = list(
        ServiceAtLocation.objects.filter(service=service)
        .exclude(location_id=None)
        .values_list("location_id", flat=True)
    )
    schedules = list(
        Schedule.objects.filter(Q(service=service) | Q(service_at_location__service=service))
    )
    locations = list(
        Location.objects.filter(pk__in=site_ids).prefetch_related("addresses", "accessibility")
    )
    latest: dict[str, tuple[str, str]] = {}
    for name, when, by in (
        Metadata.objects.filter(resource_id=service.pk)
        .order_by("last_action_date")
        .values_list("field_name", "last_action_date", "updated_by")
    ):
        latest[name] = (when, by)
    freshness = [
        (name, parse_datetime(when) or when, by) for name, (when, by) in sorted(latest.items())
    ]
    return ServicePage(
        card=card,
        schedules=schedules,
        locations=locations,
        phones=list(service.phones.all()),
        cost_options=list(service.cost_options.all()),
        freshness=freshness,
        open_now=is_open(schedules, now),
    )


def services_of_agency(agency) -> list[Card]:
    """The services of the organization an agency lists itself as (for its quick-update panel)."""
    if not agency or not agency.directory_organization_id:
        return []
    ids = list(_agency_services(agency).values_list("id", flat=True)[:50])
    return cards([(pk, None) for pk in ids], members=True)


def _agency_services(agency) -> QuerySet[Service]:
    return (
        Service.objects.filter(organization_id=agency.directory_organization_id)
        .exclude(status=ServiceStatus.DEFUNCT)
        .order_by("name", "id")
    )


def capacities_of_agency(agency) -> list[tuple[Service, ServiceCapacity | None]]:
    """The services of ``services_of_agency``, each with its capacity and nothing else: what the
    dashboard's capacity line counts (two queries, where the full cards take five)."""
    if not agency or not agency.directory_organization_id:
        return []
    services = list(_agency_services(agency).only("id", "organization_id", "name")[:50])
    capacity = {
        c.service_id: c
        for c in ServiceCapacity.objects.filter(service_id__in=[s.pk for s in services])
    }
    return [(s, capacity.get(s.pk)) for s in services]
