"""``disclosable_payload``: only consented fields, no key for the rest, audited with its consents."""

from wayfinder.audit.models import AuditEvent
from wayfinder.consent.actions import revoke_consent
from wayfinder.consent.grants import disclosable
from wayfinder.consent.queries import disclosable_payload
from wayfinder.consent.tests.factories import consent


def test_payload_holds_only_consented_fields(personas):
    c = consent(personas, personas.housing, ["identity", "contact"], purposes=["referral"])
    payload = disclosable_payload(
        personas.survivor, personas.housing, "referral", actor=personas.actor(personas.navigator_a)
    )
    assert payload["categories"] == ["contact", "identity"]
    assert payload["consents"] == {"contact": [str(c.pk)], "identity": [str(c.pk)]}
    fields = payload["fields"]
    assert fields["chosen_name"] == "Ana Rivera" and fields["phone"] == "+1 555 0100"
    assert fields["date_of_birth"] == "1996-04-12" and fields["safe_contact_method"] == "text"
    for absent in ("gender_identity", "preferred_languages", "trafficking_form", "birth_year"):
        assert absent not in fields
    event = AuditEvent.objects.get(action="consent.disclose")
    assert event.detail["consents"] == payload["consents"]
    assert event.detail["recipient_agency_id"] == str(personas.housing.pk)
    assert event.detail["purpose"] == "referral"
    assert "Ana" not in str(event.detail) and "555 0100" not in str(event.detail)


def test_nothing_is_disclosed_for_another_purpose_or_after_withdrawal(personas):
    navigator = personas.actor(personas.navigator_a)
    c = consent(personas, personas.housing, ["identity"], purposes=["referral"])
    assert disclosable(personas.survivor, personas.housing, "care_coordination") == {}
    revoke_consent(c, actor=navigator, channel="written")
    payload = disclosable_payload(personas.survivor, personas.housing, "referral", actor=navigator)
    assert payload["fields"] == {} and payload["categories"] == []
    assert not AuditEvent.objects.filter(action="consent.disclose").exists()
