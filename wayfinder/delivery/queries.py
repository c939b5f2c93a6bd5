"""Reads of services delivered, through the gate."""

from __future__ import annotations

from django.http import Http404

from wayfinder.access.gate import Access, get_access
from wayfinder.accounts.actor import Actor
from wayfinder.delivery.models import ServiceDelivery
from wayfinder.delivery.rules import may_see


def person_access(actor: Actor, person_id) -> Access:
    """The gate for a person's services: 404 unless casework staff may open the person."""
    if not actor.is_casework:
        raise Http404
    return get_access(actor, person_id)


def visible_services(access: Access, limit: int | None = None) -> list[ServiceDelivery]:
    """The person's services delivered that this reader may see, newest first."""
    rows = ServiceDelivery.objects.filter(person_id=access.person.pk).select_related("agency")
    shown = [s for s in rows if may_see(access, s.agency_id, s.category)]
    return shown[:limit] if limit else shown
