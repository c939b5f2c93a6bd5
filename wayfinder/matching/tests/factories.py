"""Directory services for tests, made like the demo's: HSDS import, then the directory's actions."""

from __future__ import annotations

import json

from wayfinder.directory import actions, demo
from wayfinder.directory.models import Service

_count = [0]


def add_service(name: str, cats: list[str], *, org: str = "testorg", **spec) -> Service:
    """One service (and its organization) from a demo-style spec.

    ``zip`` (default 60623) or ``at=(lat, lng)`` for the site (``zip=None``: no site); ``langs``,
    ``feats``, ``only`` (genders), ``faith``, ``ages``, ``cap=(accepting, available, waitlist,
    days since update)`` or None for no capacity.
    """
    _count[0] += 1
    spec = {"org": org, "name": name, "cats": cats, "zip": "60623", "cap": None, **spec}
    service = demo.service_json(spec, _count[0], org)
    organization = {
        "id": demo.demo_id("organization", org),
        "name": f"{org.title()} Org",
        "description": "Test organization.",
        "services": [service],
    }
    actions.import_hsds({"t.json": json.dumps([organization]).encode()}, actor=None)
    obj = Service.objects.get(pk=service["id"])
    demo.apply_facts(spec, obj, None)
    return obj


def link_agency(personas, agency, org: str = "testorg") -> None:
    """List ``agency`` as the directory organization ``org`` (as a network admin would)."""
    from wayfinder.accounts.actions import update_agency

    update_agency(
        agency,
        actor=personas.actor(personas.network_admin),
        directory_organization_id=demo.demo_id("organization", org),
    )
    agency.refresh_from_db()
