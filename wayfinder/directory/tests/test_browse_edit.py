"""A partner edits its own listing; each change is audited and dated in HSDS metadata."""

from __future__ import annotations

import pytest

from wayfinder.audit.models import AuditEvent
from wayfinder.directory.models import Attribute, Language, Metadata, Service, ServiceCategoryIndex
from wayfinder.directory.taxonomy import feature_term_id
from wayfinder.matching.tests.factories import add_service, link_agency

FORM = {
    "status": "active",
    "description": "Free legal advice on Tuesdays.",
    "categories": ["legal_civil", "legal_immigration"],
    "languages": ["spa", "eng", "por"],
    "staff_gender": "mixed",
    "eligible_genders": ["woman"],
    "faith_based": "",
    "minimum_age": "18",
    "maximum_age": "",
    "eligibility_description": "Adults.",
    "fees_description": "Free.",
    "application_process": "Call us.",
    "interpretation_services": "",
    "alert": "",
    "trauma_informed": "on",
    "serves_undocumented": "on",
}


@pytest.fixture
def service(personas):
    link_agency(personas, personas.legal, "justice")
    return add_service("Legal Clinic", ["legal_civil"], org="justice", langs=["eng"])


def url(service) -> str:
    return f"/directory/services/{service.pk}/edit/"


def test_partner_edits_its_listing(personas, login, service):
    client = login(personas.lawyer_b)
    assert client.get(url(service)).status_code == 200
    response = client.post(url(service), FORM)
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.description == "Free legal advice on Tuesdays." and service.minimum_age == 18
    assert sorted(Language.objects.filter(service=service).values_list("code", flat=True)) == [
        "eng",
        "por",
        "spa",
    ]
    assert set(
        ServiceCategoryIndex.objects.filter(service=service).values_list("category", flat=True)
    ) == {"legal_civil", "legal_immigration"}
    staff = Attribute.objects.get(
        link_id=service.pk, taxonomy_term_id=feature_term_id("staff_gender")
    )
    assert staff.value == "mixed"
    fields = set(
        Metadata.objects.filter(resource_id=service.pk).values_list("field_name", flat=True)
    )
    assert {"description", "minimum_age", "languages"} <= fields
    event = AuditEvent.objects.filter(action="directory.service_listing").latest("seq")
    assert "description" in event.detail["fields"] and "Tuesdays" not in str(event.detail)
    page = client.get(f"/directory/services/{service.pk}/").content.decode()
    assert "Only for" in page and "Portuguese" in page and "18 and over" in page


def test_bad_ages_are_a_form_error(personas, login, service):
    response = login(personas.lawyer_b).post(
        url(service), {**FORM, "minimum_age": "30", "maximum_age": "20"}
    )
    assert response.status_code == 422
    assert "maximum_age" in response.context["form"].errors
    assert Service.objects.get(pk=service.pk).minimum_age is None


@pytest.mark.parametrize("who", ["outsider_c", "navigator_a"])
def test_other_agencies_get_404(personas, login, service, who):
    client = login(getattr(personas, who))
    assert client.get(url(service)).status_code == 404
    assert client.post(url(service), FORM).status_code == 404
    assert Service.objects.get(pk=service.pk).description != FORM["description"]


def test_a_network_admin_may_edit_any_listing(personas, login, service):
    assert login(personas.network_admin).get(url(service)).status_code == 200
