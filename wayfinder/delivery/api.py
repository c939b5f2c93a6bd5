"""``/api/v1/delivery/``: a person's services delivered through the gate, and recording one."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING, TypeAlias

from ninja import Router, Schema
from ninja.responses import Status

from wayfinder.api.schemas import Input, IsoDate, choice, integer, responses
from wayfinder.core.service_categories import ServiceCategory
from wayfinder.delivery import actions, queries
from wayfinder.delivery.models import Unit

router = Router(tags=["delivery"])
prefix = "delivery"

if TYPE_CHECKING:
    ServiceCategoryCode: TypeAlias = str
    UnitCode: TypeAlias = str
    Quantity: TypeAlias = int
else:
    ServiceCategoryCode = choice(ServiceCategory.values)
    UnitCode = choice(Unit.values)
    Quantity = integer(1, 100000)


class ServiceDeliveryOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    agency_id: uuid.UUID
    delivered_on: date
    category: str
    quantity: int
    unit: str
    referral_id: uuid.UUID | None


class ServiceDeliveryIn(Input):
    category: ServiceCategoryCode
    delivered_on: IsoDate
    quantity: Quantity
    unit: UnitCode
    referral_id: uuid.UUID | None = None


def _out(row) -> dict:
    return {
        "id": row.pk,
        "person_id": row.person_id,
        "agency_id": row.agency_id,
        "delivered_on": row.delivered_on,
        "category": row.category,
        "quantity": row.quantity,
        "unit": row.unit,
        "referral_id": row.referral_id,
    }


@router.get(
    "/persons/{person_id}/services/",
    response=responses(list[ServiceDeliveryOut], 410),
    summary="A person's services delivered",
)
def list_services(request, person_id: uuid.UUID):
    access = queries.person_access(request.actor, person_id)
    return [_out(r) for r in queries.visible_services(access)]


@router.post(
    "/persons/{person_id}/services/",
    response=responses(ServiceDeliveryOut, 403, 410, ok_status=201),
    summary="Record a service delivered",
)
def create_service(request, person_id: uuid.UUID, payload: ServiceDeliveryIn):
    access = queries.person_access(request.actor, person_id)
    row = actions.record_service(
        access.person,
        actor=request.actor,
        category=payload.category,
        delivered_on=payload.delivered_on,
        quantity=payload.quantity,
        unit=payload.unit,
        referral_id=payload.referral_id,
    )
    return Status(201, _out(row))
