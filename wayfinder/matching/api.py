"""``/api/v1/matching/``: ranked services for a person's open needs, with the reasons.

Through the gate like every person read: unknown and refused persons (and needs) are 404. What
the caller may not see about the person (languages, age, postal code...) is not used, and so
never shows in a reason.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from ninja import Field, Query, Router, Schema

from wayfinder.access.gate import get_access
from wayfinder.api.schemas import responses
from wayfinder.core.errors import CodedError
from wayfinder.directory.geo import parse_place
from wayfinder.matching.errors import MatchingErrorCode as Code
from wayfinder.matching.queries import find_services
from wayfinder.matching.reasons import reason_dict

router = Router(tags=["matching"])
prefix = "matching"


class MatchParams(Schema):
    need: uuid.UUID | None = Field(None, description="One open need; default: all open needs.")
    near: Annotated[str, Field(max_length=40)] = Field(
        "",
        description="US ZIP code or 'latitude,longitude' to measure from; default: the "
        "person's postal code, when the caller may see it.",
    )
    radius: float | None = Field(None, gt=0, le=500, description="Only sites within, in miles.")
    undocumented: bool = Field(False, description="Only services that serve undocumented people.")
    limit: int = Field(10, ge=1, le=50)


class ReasonOut(Schema):
    code: str
    score: str
    good: bool | None
    text: str


class ServiceOut(Schema):
    id: str
    name: str
    organization: str | None


class MatchOut(Schema):
    service: ServiceOut
    score: float
    distance_miles: float | None
    location_id: str | None
    categories: list[str]
    reasons: list[ReasonOut]


class MatchNeedOut(Schema):
    id: uuid.UUID
    category: str
    urgency: str


class MatchPageOut(Schema):
    person: str  # the pseudonym
    needs: list[MatchNeedOut]
    origin: str  # "postal_code" | "typed" | "" (no distance)
    unknown: list[str]
    results: list[MatchOut]


@router.get(
    "/persons/{uuid:person_id}/services",
    response=responses(MatchPageOut, 410),
    operation_id="match_services",
    summary="Find services for a person",
)
def match_services(request, person_id: uuid.UUID, params: Query[MatchParams]):
    """The best services for the person's open needs (or one), best first, each with reasons."""
    access = get_access(request.actor, person_id)
    origin = None
    if params.near.strip():
        origin = parse_place(params.near)
        if origin is None:
            raise CodedError(
                Code.INVALID_PLACE, "Give a US ZIP code or 'latitude,longitude' for 'near'."
            )
    run = find_services(
        request.actor,
        access,
        need_id=params.need,
        origin=origin,
        radius_miles=params.radius,
        require_undocumented=params.undocumented,
        limit=params.limit,
    )
    results = []
    for m in run.matches:
        service = run.services.get(m.service_id)
        results.append(
            {
                "service": {
                    "id": m.service_id,
                    "name": service.name if service else "",
                    # select_related: a dangling organization id reads as None here.
                    "organization": service.organization.name
                    if service and service.organization
                    else None,
                },
                "score": m.score,
                "distance_miles": m.distance_miles,
                "location_id": m.location_id,
                "categories": list(m.categories),
                "reasons": [reason_dict(r) for r in m.reasons],
            }
        )
    return {
        "person": access.person.pseudonym,
        "needs": [{"id": n.pk, "category": n.category, "urgency": n.urgency} for n in run.needs],
        "origin": run.origin_source,
        "unknown": run.unknown,
        "results": results,
    }
