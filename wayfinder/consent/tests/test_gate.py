"""A partner sees exactly the consented categories, only while on the care team; others get 404."""

import pytest
from django.http import Http404

from wayfinder.access.gate import get_access, persons_for
from wayfinder.audit.models import AuditEvent
from wayfinder.consent.grants import may_disclose
from wayfinder.consent.tests.factories import consent
from wayfinder.people.queries import reveal_person


def test_partner_sees_exactly_the_consented_categories(personas, lawyer_on_team):
    consent(personas, personas.legal, ["identity", "legal"])
    lawyer = personas.actor(personas.lawyer_b)
    access = get_access(lawyer, personas.survivor.pk)
    assert access.categories == {"identity", "legal"} and access.basis == "consent"

    data = reveal_person(lawyer, access)
    # Identity fields only: no contact, no demographics, no trafficking history — not even keys.
    assert data["chosen_name"] == "Ana Rivera" and data["legal_name"].startswith("Ana María")
    for absent in (
        "phone",
        "postal_code",
        "gender_identity",
        "preferred_languages",
        "trafficking_form",
        "safe_contact_method",
        "birth_year",
    ):
        assert absent not in data
    assert list(persons_for(lawyer)) == [personas.survivor]


def test_partner_page_shows_consented_fields_and_nothing_else(personas, lawyer_on_team, web):
    consent(personas, personas.legal, ["identity", "legal"])
    response = web(personas.lawyer_b).get(f"/people/{personas.survivor.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ana Rivera" in page
    assert "555 0100" not in page and "60601" not in page  # contact details
    assert "Labour trafficking" not in page  # trafficking history


def test_partner_without_consent_gets_404_page_and_gate(personas, lawyer_on_team, web):
    with pytest.raises(Http404):
        get_access(personas.actor(personas.lawyer_b), personas.survivor.pk)
    assert web(personas.lawyer_b).get(f"/people/{personas.survivor.pk}/").status_code == 404


def test_consent_without_care_team_place_is_not_enough(personas):
    consent(personas, personas.legal, ["identity", "legal"])
    with pytest.raises(Http404):
        get_access(personas.actor(personas.lawyer_b), personas.survivor.pk)
    assert not persons_for(personas.actor(personas.lawyer_b)).exists()


def test_outsider_gets_404_even_with_a_consent_naming_another_agency(personas, web):
    consent(personas, personas.legal, ["identity"])
    with pytest.raises(Http404):
        get_access(personas.actor(personas.outsider_c), personas.survivor.pk)
    assert web(personas.outsider_c).get(f"/people/{personas.survivor.pk}/").status_code == 404


def test_a_consent_counts_only_for_its_purposes(personas, lawyer_on_team):
    consent(personas, personas.legal, ["identity", "legal"], purposes=["referral"])
    with pytest.raises(Http404):  # the people pages are care coordination
        get_access(personas.actor(personas.lawyer_b), personas.survivor.pk)
    access = get_access(personas.actor(personas.lawyer_b), personas.survivor.pk, "referral")
    assert access.categories == {"identity", "legal"}


def test_two_consents_add_up_and_may_disclose_names_the_right_one(personas, lawyer_on_team):
    first = consent(personas, personas.legal, ["identity", "legal"])
    second = consent(personas, personas.legal, ["immigration"])
    access = get_access(personas.actor(personas.lawyer_b), personas.survivor.pk)
    assert access.categories == {"identity", "legal", "immigration"}
    assert (
        may_disclose(personas.survivor, personas.legal, "immigration", "care_coordination")
        == second
    )
    assert may_disclose(personas.survivor, personas.legal, "identity", "care_coordination") == first
    assert may_disclose(personas.survivor, personas.legal, "contact", "care_coordination") is None
    assert (
        may_disclose(personas.survivor, personas.housing, "identity", "care_coordination") is None
    )


def test_reveal_audit_names_exactly_the_consents_that_allowed_it(personas, lawyer_on_team):
    identity = consent(personas, personas.legal, ["identity", "legal"])
    consent(personas, personas.legal, ["legal"])  # allows nothing on the record page
    lawyer = personas.actor(personas.lawyer_b)
    reveal_person(lawyer, get_access(lawyer, personas.survivor.pk))
    event = AuditEvent.objects.filter(action="person.view").latest("seq")
    assert event.categories == ["identity"]
    assert event.detail["consents"] == [str(identity.pk)]
    assert event.agency_id == personas.legal.pk
