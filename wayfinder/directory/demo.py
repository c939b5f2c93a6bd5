"""The demo directory: about 60 fictional services around Chicago, loaded through the real HSDS
import from ``demo_hsds.json`` (HSDS 3.0: organisations with their services, sites, schedules,
phones, languages, service areas and Wayfinder's categories and features as attributes).

What HSDS does not carry is added after the import with the directory's actions: capacity (private
to Wayfinder; some figures are stale and some services are not accepting referrals, so the pages
show both) and which demo agency each organisation is.

Every name, address and phone number is invented; sites sit at real Chicago-area ZIP centroids
(from the ``zipcodes`` package, nudged a little so two sites never coincide), so distances from
the demo survivors' ZIP codes make sense.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from wayfinder.accounts.actions import update_agency
from wayfinder.directory import actions
from wayfinder.directory.models import Service
from wayfinder.directory.taxonomy import ensure_wayfinder_taxonomy

NAMESPACE = uuid.UUID("0b6f4a5e-2f1d-4c39-8d0c-5a8e9b7c1d23")
NETWORK_FILE = Path(__file__).resolve().parent / "demo_hsds.json"

# Organisation key (its id is ``demo_id("organization", key)``) -> demo agency key.
AGENCY_OF = {
    "harbor": "lead",
    "justice": "legal",
    "safeharbor": "housing",
    "riverbend": "mental",
    "newdawn": "sud",
    "pathways": "vocational",
    "lakeside": "health",
    "eastgate": "outside",
}

# Service name -> capacity as the partner last gave it: (accepting referrals, available places,
# waitlist days, days since the update); None: the service never said.
CAPACITY = {
    "Survivor Case Management": (True, 6, 0, 2),
    "24-Hour Crisis Line": (True, None, 0, 1),
    "Survivor Mentor Program": (True, 3, 0, 5),
    "Life Skills Circle": (True, 8, 0, 20),
    "Community Outreach and Red Flags Training": (True, None, 0, 3),
    "T-Visa and Immigration Legal Services": (True, 2, 21, 3),
    "Vacatur and Criminal Record Relief": (True, 1, 30, 6),
    "Civil Legal Aid: Housing, Wages and Family": (False, 0, 45, 4),
    "Safe Harbor Emergency Shelter": (True, 2, 0, 1),
    "Transitional Housing for Survivors": (True, 0, 60, 9),
    "Youth Host Homes": (True, 1, 0, 2),
    "Rapid Rehousing": (False, 0, 90, 30),
    "Trauma Therapy for Survivors": (True, 2, 14, 4),
    "Women's Trauma Recovery Group": (True, 4, 0, 30),
    "Walk-in Crisis Counseling": (True, None, 0, 2),
    "Child and Family Therapy": (True, 1, 28, 10),
    "Outpatient Recovery Program": (True, 5, 0, 3),
    "Women's Residential Treatment": (True, 0, 12, 2),
    "Harm Reduction Drop-in": (True, None, 0, 40),
    "Job Readiness and Placement": (True, 10, 0, 6),
    "Culinary Skills Training": (True, 0, 35, 8),
    "GED and English Classes": (True, 15, 0, 25),
    "Financial Literacy Workshop": (True, 12, 0, 4),
    "Primary Care Clinic": (True, 8, 3, 1),
    "Dental Clinic": (True, 0, 21, 5),
    "Behavioral Health Integration": (True, 3, 7, 18),
    "Women's Health and Prenatal Care": (True, 4, 0, 2),
    "Eastgate Family Shelter": (False, 0, 20, 3),
    "Men's Emergency Shelter": (True, 5, 0, 1),
    "Clothing and Hygiene Closet": (True, None, 0, 50),
    "Community Food Pantry": None,
    "Winter Coat Drive": (True, None, 0, 60),
    "Community Interpreters": (True, 20, 0, 2),
    "Document Translation": (True, None, 5, 12),
    "Rides to Appointments": (True, 10, 0, 3),
    "Transit Card Program": (True, 40, 0, 15),
    "Sliding-Scale Childcare": (True, 0, 40, 7),
    "Drop-in Childcare During Appointments": (True, 3, 0, 2),
    "Newcomer Community Groups": (True, None, 0, 9),
    "Public Benefits Enrollment": (True, 6, 4, 3),
    "St. Brigid Residence for Women": (True, 1, 0, 4),
    "Community Meals": None,
    "Emergency Assistance Fund": (False, 0, None, 20),
    "Financial Coaching": (True, 4, 7, 6),
    "Family Medicine": (True, 3, 10, 5),
    "Refugee Health Screening": (True, 2, 0, 22),
    "Wage Theft and Workers' Rights Clinic": (True, 5, 0, 4),
    "Day Labor Job Leads": (True, None, 0, 3),
    "English as a Second Language": (True, 12, 0, 11),
    "Digital Skills Lab": (True, 6, 0, 30),
    "Peer Mentors for Survivors": (True, 2, 0, 8),
    "Support Group for Men": (True, 6, 0, 5),
    "Family Services in Mandarin and Cantonese": (True, 3, 0, 3),
    "Workers' Support Line": (True, None, 0, 16),
    "Elder and Youth Tutoring": (True, 4, 0, 6),
    "Evanston Satellite Clinic": (True, 2, 5, 3),
    "Oak Park Counseling Office": (True, 1, 10, 2),
    "South Suburban Safe House": (True, 3, 0, 2),
    "Berwyn Career Center": (True, 5, 0, 17),
    "Know Your Rights Workshops": (True, 30, 0, 5),
    "Safety Planning Walk-in Hours": (True, None, 0, 2),
}


def demo_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(parts)))


def network() -> list[dict]:
    """The demo organisations with their services, as HSDS 3.0 JSON objects."""
    with open(NETWORK_FILE, encoding="utf-8") as f:
        return json.load(f)


def load(net) -> None:
    ensure_wayfinder_taxonomy()  # the attributes in the file use its terms
    organizations = network()
    now = timezone.now().isoformat()
    for organization in organizations:
        for service in organization["services"]:
            service["last_modified"] = now  # the listings are as fresh as the demo
    actions.import_hsds(
        {NETWORK_FILE.name: json.dumps(organizations).encode()}, actor=None, source="demo"
    )
    ids = {s["name"]: s["id"] for o in organizations for s in o["services"]}
    services = Service.objects.in_bulk(list(ids.values()))
    for name, service_id in ids.items():
        cap = CAPACITY[name]
        if cap is None:
            continue
        accepting, available, waitlist, days_ago = cap
        # Capacity figures as the partner last gave them (some long ago: shown as stale).
        actions.update_capacity(
            services[service_id],
            actor=None,
            accepting_referrals=accepting,
            available=available,
            waitlist_days=waitlist,
            unit_name="place" if available is not None else "",
            as_of=timezone.now() - timedelta(days=days_ago, hours=3),
        )
    admin = net.actor("netadmin", "lead")
    for key, agency_key in AGENCY_OF.items():
        if agency_key in net.agencies:
            update_agency(
                net.agencies[agency_key],
                actor=admin,
                directory_organization_id=demo_id("organization", key),
            )
    net.extra["directory_services"] = ids
