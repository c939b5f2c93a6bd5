"""Reads of services delivered, through the gate."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.http import Http404

from wayfinder.access.gate import Access, get_access
from wayfinder.accounts.actor import Actor
from wayfinder.delivery.models import ServiceDelivery
from wayfinder.delivery.rules import hidden_kinds, may_see
from wayfinder.referrals.models import Referral, Status


def person_access(actor: Actor, person_id) -> Access:
    """The gate for a person's services: 404 unless casework staff may open the person."""
    if not actor.is_casework:
        raise Http404
    return get_access(actor, person_id)


def referrals_to_fulfil(access: Access, actor: Actor) -> list[Referral]:
    """The person's referrals sent or received by the actor's agency, newest first."""
    if actor.agency is None:
        return []
    agency_id = actor.agency.pk
    return list(
        Referral.objects.filter(person_id=access.person.pk)
        .filter(Q(sending_agency_id=agency_id) | Q(recipient_agency_id=agency_id))
        .exclude(status__in=[Status.DRAFT, Status.ENTERED_IN_ERROR])
        .order_by("-created_at", "pk")[:50]
    )


def visible_services(access: Access, limit: int | None = None) -> list[ServiceDelivery]:
    """The person's services delivered that this reader may see, newest first."""
    rows = ServiceDelivery.objects.filter(person_id=access.person.pk).select_related("agency")
    shown = [s for s in rows if may_see(access, s.agency_id, s.category)]
    return shown[:limit] if limit else shown


def latest_services(access: Access, limit: int) -> list[tuple[date, str, str]]:
    """(date delivered, kind of service, agency name) of the newest ``limit`` services this
    reader may see: the rows of ``visible_services(access, limit)``, with ``may_see`` in the
    query so that it reads only those (one query, no model instances)."""
    hidden = hidden_kinds(access)
    if hidden is None:
        return []
    rows = ServiceDelivery.objects.filter(person_id=access.person.pk)
    if hidden:
        rows = rows.exclude(category__in=hidden)
    return list(rows.values_list("delivered_on", "category", "agency__name")[:limit])
