"""Wayfinder's facts about a service (categories, features, capacity, notes) and the match index."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wayfinder.audit.models import AuditEvent
from wayfinder.core.service_categories import ServiceCategory
from wayfinder.directory.actions import (
    add_internal_note,
    import_hsds,
    set_service_facts,
    set_service_status,
    update_capacity,
)
from wayfinder.directory.models import Attribute, Service, ServiceCategoryIndex
from wayfinder.directory.queries import (
    agency_for_organization_id,
    can_edit_service,
    organization_for_agency,
)
from wayfinder.directory.taxonomy import Feature, category_term_id, feature_term_id

pytestmark = pytest.mark.django_db

SHELTER = {
    "id": "org-harbor",
    "name": "Harbor Light Alliance",
    "description": "Lead anti-trafficking agency",
    "locations": [
        {"id": "loc-north", "location_type": "physical", "latitude": 41.9, "longitude": -87.6},
        {"id": "loc-south", "location_type": "physical", "latitude": 41.7, "longitude": -87.6},
        {"id": "loc-po", "location_type": "postal"},
    ],
    "services": [
        {
            "id": "svc-shelter",
            "name": "Emergency shelter",
            "status": "active",
            "languages": [{"id": "lang-spa", "code": "spa", "name": "Spanish"}],
            "service_at_locations": [
                {"id": "sal-north", "location_id": "loc-north"},
                {"id": "sal-south", "location_id": "loc-south"},
            ],
        },
        {"id": "svc-hotline", "name": "Hotline", "status": "active"},
    ],
}


@pytest.fixture
def shelter(db):
    import_hsds({"organization.json": json.dumps(SHELTER).encode()}, actor=None)
    return Service.objects.get(pk="svc-shelter")


def rows(service_id):
    return list(
        ServiceCategoryIndex.objects.filter(service_id=service_id)
        .order_by("category", "location_id")
        .values_list("category", "status", "accepting_referrals", "location_id", "latitude")
    )


def test_categories_fill_the_match_index(shelter):
    assert rows("svc-shelter") == []
    set_service_facts(
        shelter,
        actor=None,
        categories=[ServiceCategory.EMERGENCY_SHELTER, ServiceCategory.CASE_MANAGEMENT],
    )
    assert rows("svc-shelter") == [
        ("case_management", "active", True, "loc-north", 41.9),
        ("case_management", "active", True, "loc-south", 41.7),
        ("emergency_shelter", "active", True, "loc-north", 41.9),
        ("emergency_shelter", "active", True, "loc-south", 41.7),
    ]
    hotline = Service.objects.get(pk="svc-hotline")
    set_service_facts(hotline, actor=None, categories=[ServiceCategory.CRISIS_INTERVENTION])
    assert rows("svc-hotline") == [("crisis_intervention", "active", True, None, None)]
    # Replacing the categories replaces the rows.
    set_service_facts(shelter, actor=None, categories=[ServiceCategory.HOUSING])
    assert {r[0] for r in rows("svc-shelter")} == {"housing"}
    assert Attribute.objects.filter(link_id="svc-shelter").count() == 1


def test_capacity_and_status_reach_the_index(shelter):
    set_service_facts(shelter, actor=None, categories=[ServiceCategory.EMERGENCY_SHELTER])
    capacity = update_capacity(
        shelter,
        actor=None,
        accepting_referrals=False,
        waitlist_days=14,
        available=0,
        maximum=20,
        unit_name="Bed",
    )
    assert capacity.unit.name == "Bed"
    assert capacity.updated is not None
    assert {r[2] for r in rows("svc-shelter")} == {False}
    update_capacity(shelter, actor=None, accepting_referrals=True, available=2, maximum=20)
    assert {r[2] for r in rows("svc-shelter")} == {True}
    set_service_status(shelter, actor=None, status="temporarily closed")
    assert {r[1] for r in rows("svc-shelter")} == {"temporarily closed"}
    with pytest.raises(ValidationError):
        set_service_status(shelter, actor=None, status="closed")
    with pytest.raises(ValidationError):
        update_capacity(shelter, actor=None, accepting_referrals=True, available=5, maximum=2)


def test_capacity_reported_earlier_keeps_its_date(shelter):
    from datetime import timedelta

    from django.utils import timezone

    set_service_facts(shelter, actor=None, categories=[ServiceCategory.EMERGENCY_SHELTER])
    then = timezone.now() - timedelta(days=20)
    capacity = update_capacity(shelter, actor=None, accepting_referrals=True, as_of=then)
    assert capacity.updated == then
    assert set(
        ServiceCategoryIndex.objects.filter(service_id="svc-shelter").values_list(
            "capacity_updated", flat=True
        )
    ) == {then}
    # The audit trail keeps the real time of the write.
    event = AuditEvent.objects.filter(action="directory.capacity").latest("at")
    assert event.at > then + timedelta(days=19)
    with pytest.raises(ValidationError):
        update_capacity(
            shelter, actor=None, accepting_referrals=True, as_of=timezone.now() + timedelta(hours=1)
        )


def test_reimport_keeps_the_index_in_step(shelter):
    set_service_facts(shelter, actor=None, categories=[ServiceCategory.EMERGENCY_SHELTER])
    moved = json.loads(json.dumps(SHELTER))
    moved["locations"][0]["latitude"] = 40.0
    moved["services"][0]["status"] = "inactive"
    import_hsds({"organization.json": json.dumps(moved).encode()}, actor=None)
    assert ("emergency_shelter", "inactive", True, "loc-north", 40.0) in rows("svc-shelter")


def facts(service_id):
    """The facts every index row of the service carries (they must agree)."""
    found = set(
        ServiceCategoryIndex.objects.filter(service_id=service_id).values_list(
            "features", "languages", "minimum_age", "maximum_age", "available", "waitlist_days"
        )
    )
    assert len(found) == 1, found
    return found.pop()


def test_the_index_carries_what_matching_reads(shelter):
    """Features, staff languages, ages and capacity are copied onto every index row, and each
    write that changes them rebuilds the rows (matching reads nothing else)."""
    from wayfinder.directory.actions import update_service_listing
    from wayfinder.directory.index import reindex_all
    from wayfinder.matching import ranking

    set_service_facts(shelter, actor=None, categories=[ServiceCategory.EMERGENCY_SHELTER])
    assert facts("svc-shelter") == (0, " spa ", None, None, None, None)
    set_service_facts(
        shelter,
        actor=None,
        features={Feature.TRAUMA_INFORMED: True, Feature.STAFF_GENDER: "women"},
    )
    assert facts("svc-shelter")[0] == ranking.TRAUMA_INFORMED | ranking.STAFF_WOMEN
    update_service_listing(
        shelter,
        actor=None,
        fields={"minimum_age": 18, "maximum_age": 24},
        languages=["spa", "vie"],
        eligible_genders=["woman"],
        faith_based=True,
    )
    mask = ranking.TRAUMA_INFORMED | ranking.STAFF_WOMEN | ranking.ONLY_WOMAN | ranking.FAITH_BASED
    assert facts("svc-shelter") == (mask, " spa vie ", 18, 24, None, None)
    update_capacity(shelter, actor=None, accepting_referrals=True, available=3, waitlist_days=0)
    assert facts("svc-shelter")[4:] == (3, 0)
    update_service_listing(shelter, actor=None, languages=[])
    assert facts("svc-shelter")[1] == ""
    # A rebuild from scratch gives the same rows.
    before = sorted(
        ServiceCategoryIndex.objects.values_list(
            "service_id", "location_id", "features", "languages", "capacity_updated"
        )
    )
    reindex_all()
    after = sorted(
        ServiceCategoryIndex.objects.values_list(
            "service_id", "location_id", "features", "languages", "capacity_updated"
        )
    )
    assert after == before


def test_an_import_of_languages_alone_reaches_the_index(shelter):
    set_service_facts(shelter, actor=None, categories=[ServiceCategory.EMERGENCY_SHELTER])
    language = {"id": "lang-vie", "service_id": "svc-shelter", "code": "vie", "name": "Vietnamese"}
    import_hsds({"languages.json": json.dumps([language]).encode()}, actor=None)
    assert facts("svc-shelter")[1] == " spa vie "


def test_features(shelter):
    set_service_facts(
        shelter,
        actor=None,
        features={
            Feature.TRAUMA_INFORMED: True,
            Feature.STAFF_GENDER: "women",
            Feature.FREE_OF_COST: False,
        },
    )
    values = dict(
        Attribute.objects.filter(link_id="svc-shelter").values_list("taxonomy_term_id", "value")
    )
    assert values == {
        feature_term_id("trauma_informed"): "true",
        feature_term_id("staff_gender"): "women",
    }
    # Features and categories are managed separately: setting one leaves the other.
    set_service_facts(shelter, actor=None, categories=[ServiceCategory.MEDICAL])
    assert Attribute.objects.filter(link_id="svc-shelter").count() == 3
    set_service_facts(shelter, actor=None, features={Feature.TRAUMA_INFORMED: False})
    assert not Attribute.objects.filter(
        link_id="svc-shelter", taxonomy_term_id=feature_term_id("trauma_informed")
    ).exists()
    assert Attribute.objects.filter(taxonomy_term_id=category_term_id("medical")).exists()
    for bad in ({"categories": ["spa_days"]}, {"features": {"staff_gender": "robots"}}):
        with pytest.raises(ValidationError):
            set_service_facts(shelter, actor=None, **bad)


def test_who_may_edit_a_service(shelter, personas):
    lead, legal = personas.lead, personas.legal
    navigator = personas.actor(personas.navigator_a)
    lawyer = personas.actor(personas.lawyer_b)
    admin = personas.actor(personas.network_admin)
    assert not can_edit_service(navigator, shelter)
    lead.directory_organization_id = "org-harbor"
    lead.save()
    navigator = personas.actor(personas.navigator_a)
    assert can_edit_service(navigator, shelter)
    assert not can_edit_service(lawyer, shelter)
    assert can_edit_service(admin, shelter)
    with pytest.raises(PermissionDenied):
        update_capacity(shelter, actor=lawyer, accepting_referrals=False)
    update_capacity(shelter, actor=navigator, accepting_referrals=False)
    with pytest.raises(PermissionDenied):
        import_hsds({"s.json": b'{"id": "x", "name": "x", "status": "active"}'}, actor=navigator)
    assert organization_for_agency(lead).name == "Harbor Light Alliance"
    assert organization_for_agency(legal) is None
    assert agency_for_organization_id("org-harbor") == lead
    assert shelter.organization.agency == lead


def test_internal_notes_are_audited_without_their_text(shelter, personas):
    actor = personas.actor(personas.navigator_a)
    note = add_internal_note(shelter, actor=actor, body="  Call intake before 10am  ")
    assert note.body == "Call intake before 10am"
    event = AuditEvent.objects.filter(action="directory.note").get()
    assert "10am" not in json.dumps(event.detail)
    with pytest.raises(ValidationError):
        add_internal_note(shelter, actor=actor, body="   ")
