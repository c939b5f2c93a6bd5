"""Every write of services delivered. One transaction each, with its audit event (ids only)."""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wayfinder.access.gate import access_for
from wayfinder.accounts.actor import Actor
from wayfinder.audit.events import record
from wayfinder.core.errors import CodedError
from wayfinder.core.service_categories import ServiceCategory
from wayfinder.delivery.errors import DeliveryErrorCode as Code
from wayfinder.delivery.models import ServiceDelivery, Unit
from wayfinder.delivery.rules import categories_for, may_record
from wayfinder.people.models import Person
from wayfinder.referrals.models import Referral


def _check_referral(person: Person, actor: Actor, referral_id) -> uuid.UUID | None:
    if referral_id in (None, ""):
        return None
    # A referral of this person, sent or received by the actor's agency.
    agency_id = actor.agency.pk if actor.agency else None
    found = Referral.objects.filter(pk=referral_id, person_id=person.pk).filter(
        Q(sending_agency_id=agency_id) | Q(recipient_agency_id=agency_id)
    )
    if not found.exists():
        raise CodedError(
            Code.REFERRAL_UNKNOWN,
            _("That referral is not on this record."),
            field="referral_id",
            status=404,
        )
    return uuid.UUID(str(referral_id))


@transaction.atomic
def record_service(
    person: Person,
    *,
    actor: Actor,
    category: str,
    delivered_on: date,
    quantity: int,
    unit: str,
    referral_id=None,
) -> ServiceDelivery:
    """Record one service the actor's agency delivered to the person."""
    access = access_for(actor, person)
    if access is None or actor.agency is None or not actor.is_casework:
        raise PermissionDenied
    if category not in ServiceCategory.values:
        raise CodedError(Code.CATEGORY_REQUIRED, _("Choose the kind of service."), field="category")
    if unit not in Unit.values:
        raise CodedError(Code.UNIT_REQUIRED, _("Choose a unit."), field="unit")
    if not isinstance(quantity, int) or quantity < 1 or quantity > 100000:
        raise CodedError(Code.QUANTITY_INVALID, _("Give a whole number from 1."), field="quantity")
    if delivered_on > timezone.localdate():
        raise CodedError(
            Code.DATE_IN_FUTURE, _("The date cannot be in the future."), field="delivered_on"
        )
    if not may_record(access, category):
        raise CodedError(
            Code.CATEGORY_NOT_CONSENTED,
            _("The person's consent to your agency does not cover this kind of service."),
            field="category",
            status=403,
        )
    ref = _check_referral(person, actor, referral_id)
    service = ServiceDelivery.objects.create(
        person=person,
        agency=actor.agency,
        recorded_by=actor.user,
        delivered_on=delivered_on,
        category=category,
        quantity=quantity,
        unit=unit,
        referral_id=ref,
    )
    record(
        "delivery.recorded",
        category="delivery",
        actor=actor,
        obj=service,
        person=person,
        categories=sorted(categories_for(category)),
        detail={"category": category, "referral_id": str(ref) if ref else ""},
    )
    return service
