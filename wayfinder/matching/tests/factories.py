"""Directory services for tests, made like the demo's: HSDS import, then the directory's actions."""

from __future__ import annotations

import json
from datetime import timedelta

from django.utils import timezone

from wayfinder.directory import actions, demo
from wayfinder.directory.geo import zip_centroid
from wayfinder.directory.models import Service

_count = [0]
WEEKDAYS = "MO,TU,WE,TH,FR"
STREETS = [
    "W Cermak Rd",
    "S Ashland Ave",
    "N Broadway",
    "W 26th St",
    "S Halsted St",
    "N Milwaukee Ave",
    "W Lawrence Ave",
    "S Cottage Grove Ave",
    "W Devon Ave",
    "W North Ave",
    "S Pulaski Rd",
    "W Division St",
]


def _site(spec: dict, index: int) -> tuple[float, float]:
    if spec.get("at"):
        return spec["at"]
    centroid = zip_centroid(spec["zip"])
    if centroid is None:
        raise ValueError(f"no centroid for ZIP {spec['zip']}: pick one the geo data has")
    lat, lng = centroid
    # Spread sites sharing a ZIP a few hundred metres apart, deterministically.
    return round(lat + 0.004 * ((index % 5) - 2), 5), round(lng + 0.005 * ((index % 3) - 1), 5)


def service_json(spec: dict, index: int, org_key: str) -> dict:
    """One HSDS 3.0 service object (with its site, schedule, phone and languages) for a spec."""
    sid = demo.demo_id("service", spec["name"])
    days, hours = spec.get("days", WEEKDAYS), spec.get("hours", ("09:00", "17:00"))
    service = {
        "id": sid,
        "name": spec["name"],
        "status": "active",
        "description": spec.get("description", f"{spec['name']}."),
        "eligibility_description": spec.get("elig", ""),
        "fees_description": "Free." if spec.get("free") else spec.get("fees", ""),
        "application_process": "Call or walk in; partners refer through Wayfinder.",
        "phones": [
            {
                "id": demo.demo_id("phone", sid),
                "number": f"(312) 555-{100 + index:04d}",
                "type": "voice",
            }
        ],
        "schedules": [
            {
                "id": demo.demo_id("schedule", sid),
                "freq": "WEEKLY",
                "byday": days,
                "opens_at": f"{hours[0]}:00",
                "closes_at": f"{hours[1]}:00",
                "description": "",
            }
        ],
        "languages": [],  # set through the listing action below
        "cost_options": (
            [{"id": demo.demo_id("cost", sid), "option": "Free", "amount": 0, "currency": "USD"}]
            if spec.get("free")
            else []
        ),
        "service_at_locations": [],
    }
    if spec.get("area"):
        name, (south, west, north, east) = spec["area"]
        ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
        service["service_areas"] = [
            {
                "id": demo.demo_id("area", sid),
                "name": name,
                "description": f"Serves residents of {name} only.",
                "extent": json.dumps({"type": "Polygon", "coordinates": [ring]}),
                "extent_type": "geojson",
            }
        ]
    if spec.get("ages"):
        low, high = spec["ages"]
        if low is not None:
            service["minimum_age"] = low
        if high is not None:
            service["maximum_age"] = high
    if spec["zip"]:
        lat, lng = _site(spec, index)
        lid = demo.demo_id("location", sid)
        service["service_at_locations"] = [
            {
                "id": demo.demo_id("sal", sid),
                "location": {
                    "id": lid,
                    "location_type": "physical",
                    "name": f"{spec['name']} site",
                    "latitude": lat,
                    "longitude": lng,
                    "addresses": [
                        {
                            "id": demo.demo_id("address", lid),
                            "address_1": f"{1000 + 37 * index} {STREETS[index % len(STREETS)]}",
                            "city": "Chicago"
                            if spec["zip"].startswith("606")
                            else {"60201": "Evanston", "60302": "Oak Park", "60402": "Berwyn"}.get(
                                spec["zip"], "Calumet City"
                            ),
                            "state_province": "IL",
                            "postal_code": spec["zip"],
                            "country": "US",
                            "address_type": "physical",
                        }
                    ],
                    "accessibility": [
                        {
                            "id": demo.demo_id("access", lid),
                            "description": spec.get("access", "Step-free entrance."),
                        }
                    ],
                },
            }
        ]
    return service


def apply_facts(spec: dict, service: Service, actor) -> None:
    """Categories, features, listing and capacity of a spec, through the directory's actions."""
    features = {k: v for k, v in spec.get("feats", {}).items()}
    actions.set_service_facts(service, actor=actor, categories=spec["cats"], features=features)
    actions.update_service_listing(
        service,
        actor=actor,
        languages=spec.get("langs", []),
        eligible_genders=spec.get("only", []),
        faith_based=bool(spec.get("faith")),
    )
    cap = spec.get("cap")
    if cap is None:
        return
    accepting, available, waitlist, days_ago = cap
    when = timezone.now() - timedelta(days=days_ago, hours=3)
    # Capacity figures as the partner last gave them (some long ago: shown as stale).
    actions.update_capacity(
        service,
        actor=actor,
        accepting_referrals=accepting,
        available=available,
        waitlist_days=waitlist,
        unit_name="place" if available is not None else "",
        as_of=when,
    )


def add_service(name: str, cats: list[str], *, org: str = "testorg", **spec) -> Service:
    """One service (and its organization) from a demo-style spec.

    ``zip`` (default 60623) or ``at=(lat, lng)`` for the site (``zip=None``: no site); ``langs``,
    ``feats``, ``only`` (genders), ``faith``, ``ages``, ``cap=(accepting, available, waitlist,
    days since update)`` or None for no capacity.
    """
    _count[0] += 1
    spec = {"org": org, "name": name, "cats": cats, "zip": "60623", "cap": None, **spec}
    service = service_json(spec, _count[0], org)
    organization = {
        "id": demo.demo_id("organization", org),
        "name": f"{org.title()} Org",
        "description": "Test organization.",
        "services": [service],
    }
    actions.import_hsds({"t.json": json.dumps([organization]).encode()}, actor=None)
    obj = Service.objects.get(pk=service["id"])
    apply_facts(spec, obj, None)
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
