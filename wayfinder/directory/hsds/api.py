"""The read-only HSDS 3.0 API at ``/hsds/`` (plain Django views; see ``spec/openapi.json``).

- ``GET /`` (version, profile, openapi_url), ``/openapi.json``, ``/services[/{id}]``,
  ``/organizations[/{id}]``, ``/service_at_locations[/{id}]``, ``/taxonomies[/{id}]``,
  ``/taxonomy_terms[/{id}]``.
- Lists are paged in the HSDS ``Page`` envelope (``page``, ``per_page``); ``format=ndjson``
  streams every match, one object per line, without paging. Filters combine with AND.
- Public unless ``WAYFINDER_DIRECTORY_PUBLIC`` is off; then a signed-in member or an API token
  (``Authorization: Bearer wf_…``) is required.
- Errors are JSON ``{"code", "message"}``: 400 for a bad parameter, 401, 404, 405. Never a 500.
- Capacity and internal notes are never served here: the dumper has no path to them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import UTC, datetime, time
from functools import wraps

from django.conf import settings
from django.db.models import F, Q, QuerySet, TextField, Value
from django.db.models.functions import Coalesce, Replace, Upper
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_safe

from wayfinder.api.auth import TokenAuth
from wayfinder.core.errors import CommonErrorCode, ErrorCode
from wayfinder.directory.errors import DirectoryErrorCode as Code
from wayfinder.directory.hsds import io as hsds_io
from wayfinder.directory.hsds import schema as hsds_schema
from wayfinder.directory.models import (
    Address,
    Attribute,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

HSDS_VERSION = "3.0"
PROFILE_URL = "https://docs.openreferral.org/en/v3.0/"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 1000
NDJSON_BATCH = 200
MAX_SEARCH = 200


class BadParameter(Exception):
    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name, self.message = name, message


def _error(status: int, code: ErrorCode, message: str, **extra) -> JsonResponse:
    # A plain Django view, not ninja: the same ``{"code", "message"}`` body as wayfinder.api.errors.
    return JsonResponse({"code": code.value, "message": message, **extra}, status=status)


def _allowed(request: HttpRequest) -> bool:
    if getattr(settings, "WAYFINDER_DIRECTORY_PUBLIC", True):
        return True
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and request.actor.agency is not None:
        return True
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return TokenAuth().authenticate(request, header[7:].strip()) is not None
    return False


def endpoint(view: Callable) -> Callable:
    """GET/HEAD only, access check, and every failure as coded JSON."""

    @require_safe
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _allowed(request):
            response = _error(401, CommonErrorCode.UNAUTHENTICATED, "Sign in or send an API token.")
            response["WWW-Authenticate"] = 'Bearer realm="wayfinder"'
            return response
        try:
            return view(request, *args, **kwargs)
        except BadParameter as exc:
            return _error(400, Code.INVALID_PARAMETER, exc.message, parameter=exc.name)
        except Http404:
            return _error(404, CommonErrorCode.NOT_FOUND, "Not found.")

    return wrapper


# --- parameters ---------------------------------------------------------------------------------


def _int(request, name: str, default: int, low: int, high: int) -> int:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(name, f"'{name}' must be a whole number.") from None
    if not low <= value <= high:
        raise BadParameter(name, f"'{name}' must be between {low} and {high}.")
    return value


def _bool(request, name: str) -> bool:
    raw = request.GET.get(name, "").strip().lower()
    if raw in ("", "false", "0", "no"):
        return False
    if raw in ("true", "1", "yes"):
        return True
    raise BadParameter(name, f"'{name}' must be true or false.")


def _text(request, name: str) -> str:
    value = request.GET.get(name, "").strip()
    if len(value) > MAX_SEARCH:
        raise BadParameter(name, f"'{name}' is longer than {MAX_SEARCH} characters.")
    return value


def _datetime(request, name: str) -> datetime | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        value = parse_datetime(raw.replace(" ", "+").replace("Z", "+00:00"))
        if value is None and (day := parse_date(raw)) is not None:
            value = datetime.combine(day, time.min)
    except ValueError:
        value = None
    if value is None:
        raise BadParameter(name, f"'{name}' must be an ISO 8601 date or date-time.")
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _format(request) -> str:
    value = request.GET.get("format", "json").strip().lower() or "json"
    if value not in ("json", "ndjson"):
        raise BadParameter("format", "'format' must be json or ndjson.")
    return value


# --- responses ----------------------------------------------------------------------------------


def _page(request, qs: QuerySet, t: str, shape: dict, transform=None) -> HttpResponse:
    """The HSDS Page envelope (or an ndjson stream) of ``qs`` dumped as ``t`` with ``shape``."""
    model = hsds_io.MODELS[t]
    fmt = _format(request)
    per_page = _int(request, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    page = _int(request, "page", 1, 1, 10_000_000)
    ids_qs = qs.order_by(*ORDER[t]).values_list("id", flat=True)
    if fmt == "ndjson":
        return StreamingHttpResponse(
            _ndjson(list(ids_qs), model, t, shape, transform),
            content_type="application/x-ndjson",
        )
    total = qs.count()
    ids = list(ids_qs[(page - 1) * per_page : page * per_page])
    contents = _dump_ids(model, t, ids, shape, transform)
    total_pages = math.ceil(total / per_page)
    return JsonResponse(
        {
            "total_items": total,
            "total_pages": total_pages,
            "page_number": page,
            "size": len(contents),
            "first_page": page == 1,
            "last_page": page >= total_pages,
            "empty": not contents,
            "contents": contents,
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _dump_ids(model, t: str, ids: list, shape: dict, transform=None) -> list[dict]:
    rows = model.objects.in_bulk(ids)
    ordered = [rows[i] for i in ids if i in rows]
    dumped = hsds_io.dump(t, ordered, shape)
    return [transform(d) for d in dumped] if transform else dumped


def _ndjson(ids: list, model, t: str, shape: dict, transform):
    for start in range(0, len(ids), NDJSON_BATCH):
        for item in _dump_ids(model, t, ids[start : start + NDJSON_BATCH], shape, transform):
            yield json.dumps(item, ensure_ascii=False) + "\n"


def _one(model, t: str, pk: str, shape: dict) -> JsonResponse:
    row = model.objects.filter(pk=pk).first()
    if row is None:
        raise Http404
    return JsonResponse(hsds_io.dump(t, [row], shape)[0], json_dumps_params={"ensure_ascii": False})


# Stable paging order per type.
ORDER = {
    "service": ("name", "id"),
    "organization": ("name", "id"),
    "taxonomy": ("name", "id"),
    "taxonomy_term": ("name", "id"),
    "service_at_location": ("id",),
}


# --- filters ------------------------------------------------------------------------------------


def _service_filters(request, qs: QuerySet, prefix: str = "") -> QuerySet:
    """``taxonomy_term_id``, ``taxonomy_id``, ``organization_id``, ``modified_after`` on services
    (``prefix`` = ``"service__"`` when filtering service_at_locations through their service)."""
    id_field = f"{prefix}id" if prefix else "id"
    if term := _text(request, "taxonomy_term_id"):
        qs = qs.filter(
            **{f"{id_field}__in": Attribute.objects.filter(taxonomy_term_id=term).values("link_id")}
        )
    if taxonomy := _text(request, "taxonomy_id"):
        terms = TaxonomyTerm.objects.filter(taxonomy_id=taxonomy).values("id")
        qs = qs.filter(
            **{
                f"{id_field}__in": Attribute.objects.filter(taxonomy_term_id__in=terms).values(
                    "link_id"
                )
            }
        )
    if organization := _text(request, "organization_id"):
        qs = qs.filter(**{f"{prefix}organization_id": organization})
    if after := _datetime(request, "modified_after"):
        qs = qs.alias(
            _modified=Coalesce(F(f"{prefix}last_modified"), F(f"{prefix}updated_at"))
        ).filter(_modified__gte=after)
    return qs


def _search(qs: QuerySet, term: str, fields: tuple[str, ...]) -> QuerySet:
    if not term:
        return qs
    q = Q()
    for f in fields:
        q |= Q(**{f"{f}__icontains": term})
    return qs.filter(q)


# --- endpoints ----------------------------------------------------------------------------------


@endpoint
def root(request):
    return JsonResponse(
        {
            "version": HSDS_VERSION,
            "profile": PROFILE_URL,
            "openapi_url": request.build_absolute_uri(reverse("hsds:openapi")),
        }
    )


@endpoint
def openapi(request):
    doc = json.loads(json.dumps(hsds_schema.openapi()))
    doc["info"] = {
        "title": "Wayfinder service directory (HSDS 3.0)",
        "version": HSDS_VERSION,
        "summary": "Read-only Open Referral HSDS 3.0 API of this network's service directory.",
        "description": "Services, organizations, locations and taxonomies, including the "
        "published Wayfinder taxonomy of service categories and features.",
        "license": {
            "name": "HSDS: CC BY-SA 4.0 (Open Referral)",
            "url": "https://creativecommons.org/licenses/by-sa/4.0/",
        },
    }
    doc["servers"] = [{"url": request.build_absolute_uri(reverse("hsds:root")).rstrip("/")}]
    return JsonResponse(doc)


def _minimal(item: dict) -> dict:
    return {k: item[k] for k in ("id", "name", "status", "last_modified") if k in item}


@endpoint
def services(request):
    qs = _service_filters(request, Service.objects.all())
    qs = _search(qs, _text(request, "search"), ("name", "alternate_name", "description"))
    if _bool(request, "minimal"):
        return _page(request, qs, "service", {}, transform=_minimal)
    shape = hsds_io.SERVICE_FULL if _bool(request, "full") else hsds_io.SERVICE_LIST
    return _page(request, qs, "service", shape)


@endpoint
def service_detail(request, pk: str):
    return _one(Service, "service", pk, hsds_io.SERVICE_FULL)


def _organization_shape(request, *, detail: bool) -> dict:
    full_service = _bool(request, "full_service")
    shape = dict(hsds_io.ORGANIZATION_FULL) if detail or _bool(request, "full") else {}
    if detail or full_service:
        shape["services"] = hsds_io.SERVICE_FULL if full_service else {}
    return shape


@endpoint
def organizations(request):
    qs = _search(
        Organization.objects.all(),
        _text(request, "search"),
        ("name", "alternate_name", "description"),
    )
    return _page(request, qs, "organization", _organization_shape(request, detail=False))


@endpoint
def organization_detail(request, pk: str):
    return _one(Organization, "organization", pk, _organization_shape(request, detail=True))


def _near_postcode(request, qs: QuerySet) -> QuerySet:
    """``postcode`` (matched against location addresses) and ``proximity`` (metres from the
    centroid of this directory's own locations with that postcode; no external geocoder)."""
    postcode = _text(request, "postcode")
    proximity = _text(request, "proximity")
    if proximity and not postcode:
        raise BadParameter("proximity", "'proximity' needs 'postcode'.")
    if not postcode:
        return qs
    location_ids = list(
        Address.objects.exclude(location_id=None)
        .annotate(
            _code=Replace(Upper("postal_code"), Value(" "), Value(""), output_field=TextField())
        )
        .filter(_code=postcode.replace(" ", "").upper())
        .values_list("location_id", flat=True)
    )
    if not proximity:
        return qs.filter(location_id__in=location_ids)
    try:
        metres = float(proximity)
    except ValueError:
        raise BadParameter("proximity", "'proximity' must be a number of metres.") from None
    if not 0 < metres <= 1_000_000:
        raise BadParameter("proximity", "'proximity' must be between 0 and 1000000 metres.")
    points = [
        (lat, lng)
        for lat, lng in Location.objects.filter(pk__in=location_ids).values_list(
            "latitude", "longitude"
        )
        if lat is not None and lng is not None and -90 <= lat <= 90 and -180 <= lng <= 180
    ]
    if not points:
        raise BadParameter("postcode", "No location with this postcode has coordinates.")
    lat0 = sum(p[0] for p in points) / len(points)
    lng0 = sum(p[1] for p in points) / len(points)
    near = [
        pk
        for pk, lat, lng in Location.objects.exclude(latitude=None)
        .exclude(longitude=None)
        .filter(
            latitude__range=(lat0 - metres / 111_000, lat0 + metres / 111_000),
        )
        .values_list("id", "latitude", "longitude")
        if lat is not None and lng is not None and haversine_m(lat0, lng0, lat, lng) <= metres
    ]
    return qs.filter(location_id__in=near)


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres."""
    r = 6_371_000
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


@endpoint
def service_at_locations(request):
    qs = _service_filters(request, ServiceAtLocation.objects.all(), prefix="service__")
    if term := _text(request, "search"):
        qs = qs.filter(
            Q(service__name__icontains=term)
            | Q(service__description__icontains=term)
            | Q(location__name__icontains=term)
            | Q(description__icontains=term)
        )
    qs = _near_postcode(request, qs)
    shape = hsds_io.SAL_FULL if _bool(request, "full") else hsds_io.SAL_LIST
    return _page(request, qs, "service_at_location", shape)


@endpoint
def service_at_location_detail(request, pk: str):
    return _one(ServiceAtLocation, "service_at_location", pk, hsds_io.SAL_FULL)


@endpoint
def taxonomies(request):
    qs = _search(Taxonomy.objects.all(), _text(request, "search"), ("name", "description"))
    return _page(request, qs, "taxonomy", {})


@endpoint
def taxonomy_detail(request, pk: str):
    return _one(Taxonomy, "taxonomy", pk, {})


@endpoint
def taxonomy_terms(request):
    qs = _search(
        TaxonomyTerm.objects.all(), _text(request, "search"), ("name", "code", "description")
    )
    if taxonomy := _text(request, "taxonomy_id"):
        qs = qs.filter(taxonomy_id=taxonomy)
    if parent := _text(request, "parent_id"):
        qs = qs.filter(parent_id=parent)
    if _bool(request, "top_only"):
        qs = qs.filter(Q(parent_id=None) | Q(parent_id=""))
    return _page(request, qs, "taxonomy_term", {})


@endpoint
def taxonomy_term_detail(request, pk: str):
    return _one(TaxonomyTerm, "taxonomy_term", pk, hsds_io.TAXONOMY_TERM_FULL)
