"""GET /api/v1/persons/{id}: the record through the gate, audited; refused fields are absent."""

import uuid

import pytest

from wayfinder.api.tests.conftest import person_url
from wayfinder.audit.models import AuditEvent
from wayfinder.people.actions import forget_person
from wayfinder.people.models import FIELD_CATEGORIES

IDENTIFYING = [f for f, c in FIELD_CATEGORIES.items() if c in ("identity", "contact")]


def test_owner_reads_the_whole_record_and_the_read_is_audited(personas, api_as):
    survivor = personas.survivor
    response = api_as(personas.navigator_a).get(person_url(survivor))

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(survivor.pk) and body["pseudonym"] == survivor.pseudonym
    assert body["chosen_name"] == "Ana Rivera"
    assert body["legal_name"] == "Ana María Rivera López"
    assert body["date_of_birth"] == "1996-04-12"
    assert body["preferred_languages"] == ["spa", "eng"]
    assert body["phone"] == "+1 555 0100"
    assert body["email"] is None  # allowed but not recorded: null, not absent
    assert body["access"]["basis"] == "owner"
    assert set(FIELD_CATEGORIES) <= set(body)

    event = AuditEvent.objects.filter(action="person.view").latest("seq")
    assert event.person_pseudonym == survivor.pseudonym
    assert event.actor_id == personas.navigator_a.pk and event.via == "api"
    assert "identity" in event.categories
    assert "Ana" not in str(event.detail)


@pytest.mark.parametrize("who", ["outsider_c", "analyst", "lawyer_b"])
def test_outsider_analyst_and_partner_without_consent_get_404(personas, api_as, who):
    response = api_as(getattr(personas, who)).get(person_url(personas.survivor))
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found."}
    assert not AuditEvent.objects.filter(action="person.view").exists()


def test_unknown_and_forgotten_persons_are_404(personas, api_as):
    api = api_as(personas.navigator_a)
    assert api.get(person_url(uuid.uuid4())).status_code == 404
    survivor = personas.survivor
    forget_person(survivor, actor=personas.actor(personas.admin_a), confirmation=survivor.pseudonym)
    assert api.get(person_url(survivor)).status_code == 404


def test_partner_sees_only_the_consented_categories_and_nothing_else(
    personas, api_as, share_with_lawyer
):
    """With a consent for demographics and communication only, identity and contact fields are
    absent (not null)."""
    consent = share_with_lawyer(["demographics", "communication"])
    response = api_as(personas.lawyer_b).get(person_url(personas.survivor))

    assert response.status_code == 200
    body = response.json()
    assert body["pseudonym"] == personas.survivor.pseudonym
    assert body["preferred_languages"] == ["spa", "eng"] and body["gender_identity"] == "woman"
    assert body["access"] == {"basis": "consent", "categories": ["communication", "demographics"]}
    for field in [*IDENTIFYING, "trafficking_form", "safety_level"]:
        assert field not in body, field
    text = response.content.decode()
    assert "Rivera" not in text and "1996-04-12" not in text and "555 0100" not in text
    event = AuditEvent.objects.filter(action="person.view").latest("seq")
    assert event.categories == ["communication", "demographics"]
    assert event.detail["consents"] == [str(consent.pk)]
    assert event.agency_id == personas.legal.pk


def test_partner_whose_consent_was_withdrawn_gets_410_and_nothing_else(
    personas, api_as, share_with_lawyer
):
    from wayfinder.consent.actions import revoke_consent

    consent = share_with_lawyer(["identity", "demographics"])
    api = api_as(personas.lawyer_b)
    assert api.get(person_url(personas.survivor)).json()["chosen_name"] == "Ana Rivera"

    revoke_consent(consent, actor=personas.actor(personas.navigator_a), channel="phone")

    response = api.get(person_url(personas.survivor))
    assert response.status_code == 410
    body = response.json()
    assert body["code"] == "access_ended" and body["reason"] == "revoked"
    assert "Rivera" not in response.content.decode()
    assert "chosen_name" not in body and "preferred_languages" not in body
