"""The demo directory is an HSDS 3.0 file loaded through the real import: it validates against the
official schemas, imports with no warning, and the loader adds only what HSDS cannot carry."""

from __future__ import annotations

import pytest

from wayfinder.core.demo import DemoNetwork
from wayfinder.directory import demo
from wayfinder.directory.hsds import io as hsds_io
from wayfinder.directory.hsds import schema as hsds_schema
from wayfinder.directory.models import Attribute, Language, Service, ServiceArea, ServiceCapacity


def test_every_demo_organization_is_valid_hsds():
    organizations = demo.network()
    assert len(organizations) == 20
    for organization in organizations:
        assert hsds_schema.errors("organization", organization) == [], organization["name"]


@pytest.mark.django_db
def test_the_file_imports_with_no_warning():
    plan = hsds_io.plan_import({"demo_hsds.json": demo.NETWORK_FILE.read_bytes()})
    assert plan.all_warnings() == []
    assert sum(1 for t, _i in plan.records if t == "service") == 61


def test_every_service_has_a_capacity_entry_and_every_agency_link_an_organization():
    organizations = demo.network()
    names = [s["name"] for o in organizations for s in o["services"]]
    assert sorted(names) == sorted(demo.CAPACITY)
    ids = {o["id"] for o in organizations}
    assert {demo.demo_id("organization", key) for key in demo.AGENCY_OF} <= ids


@pytest.mark.django_db
def test_loading_the_demo_directory():
    from wayfinder.accounts import demo as accounts_demo

    net = DemoNetwork()
    accounts_demo.load(net)
    demo.load(net)
    assert Service.objects.count() == 61
    assert ServiceCapacity.objects.count() == 59  # two services never gave a figure
    assert ServiceArea.objects.count() == 1
    crisis = Service.objects.get(name="24-Hour Crisis Line")
    assert set(Language.objects.filter(service=crisis).values_list("code", flat=True)) == {
        "eng",
        "spa",
    }
    assert Attribute.objects.filter(link_id=crisis.pk, link_type="service_category").count() == 2
    assert crisis.last_modified is not None
    assert net.extra["directory_services"]["24-Hour Crisis Line"] == crisis.pk
    lead = net.agencies["lead"]
    lead.refresh_from_db()
    assert lead.directory_organization_id == demo.demo_id("organization", "harbor")
