"""Reads and permission predicates of the directory.

The directory holds no personal data: its listings are readable by every signed-in member (and by
the public through the HSDS API when ``WAYFINDER_DIRECTORY_PUBLIC`` is on). Capacity and internal
notes are for signed-in network staff only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wayfinder.accounts.models import Agency, Role
from wayfinder.directory.models import Organization, Service, ServiceCapacity

if TYPE_CHECKING:
    from wayfinder.accounts.actor import Actor

# Roles of the linked agency that may update their own services' capacity and facts.
SERVICE_EDITOR_ROLES = frozenset(
    {Role.AGENCY_ADMIN, Role.SUPERVISOR, Role.NAVIGATOR, Role.PROVIDER}
)


def can_manage_directory(actor: Actor) -> bool:
    """Import, export and edit any listing: network administrators."""
    return actor.agency is not None and actor.is_network_admin


def can_read_private(actor: Actor) -> bool:
    """Capacity and internal notes: any active member of the network."""
    return actor.agency is not None and bool(actor.roles)


def organization_for_agency(agency: Agency) -> Organization | None:
    """The directory organization an agency lists itself as (``Agency.directory_organization_id``)."""
    if not agency.directory_organization_id:
        return None
    return Organization.objects.filter(pk=agency.directory_organization_id).first()


def agency_for_organization_id(organization_id: str | None) -> Agency | None:
    if not organization_id:
        return None
    return Agency.objects.filter(directory_organization_id=organization_id, is_active=True).first()


def can_edit_service(actor: Actor, service: Service) -> bool:
    """Network admins; or staff of the agency linked to the service's organization."""
    if can_manage_directory(actor):
        return True
    if actor.agency is None or not (actor.roles & SERVICE_EDITOR_ROLES):
        return False
    return bool(service.organization_id) and (
        actor.agency.directory_organization_id == service.organization_id
    )


def capacity_of(service: Service) -> ServiceCapacity | None:
    return ServiceCapacity.objects.filter(service=service).select_related("unit").first()
