"""Making a referral: consent is checked when it is sent, the safe defaults hold, every write is audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wayfinder.audit.models import AuditEvent
from wayfinder.referrals.actions import ReferralRequest, create_referral, submit_referral
from wayfinder.referrals.models import Delivery, EventKind, Notification, Status
from wayfinder.referrals.tests.factories import PART2, link, listing, referral_consent


def _code(exc_info) -> str:
    exc = exc_info.value
    if hasattr(exc, "error_dict"):
        return next(iter(exc.error_dict.values()))[0].code
    return exc.code


def test_sent_referral_goes_to_the_linked_agency_with_safe_defaults(personas, referral, needs):
    assert referral.status == Status.REQUESTED
    assert referral.recipient_agency == personas.legal
    assert referral.delivery == Delivery.NETWORK
    assert referral.service_category == "legal_civil"
    assert referral.priority == "urgent"  # from the need's "high" urgency
    assert referral.contact_prohibited is True
    assert referral.need_id == needs["legal"].pk
    assert referral.note_ct is not None and b"woman attorney" not in bytes(referral.note_ct)
    assert [e.kind for e in referral.events.all()] == [EventKind.CREATED, EventKind.TRANSITION]
    event = AuditEvent.objects.get(action="referral.create")
    assert event.category == "referrals"
    assert event.detail["consents"] == referral.consent_ids and referral.consent_ids
    assert "woman" not in str(event.detail)
    assert Notification.objects.get(recipient_agency=personas.legal).kind == "new_referral"


def test_sending_to_a_partner_without_referral_consent_is_refused(personas, nav, legal_service):
    # A care-coordination consent is not a referral consent.
    referral_consent(personas, personas.legal, ["identity"], purposes=("care_coordination",))
    with pytest.raises(ValidationError) as exc:
        create_referral(personas.survivor, ReferralRequest(service=legal_service), actor=nav)
    assert _code(exc) == "consent_required"
    assert not AuditEvent.objects.filter(action="referral.create").exists()


def test_a_draft_needs_no_consent_but_sending_it_does(personas, nav, legal_service):
    draft = create_referral(
        personas.survivor, ReferralRequest(service=legal_service, send=False), actor=nav
    )
    assert draft.status == Status.DRAFT and draft.consent_ids == []
    assert not Notification.objects.exists()
    with pytest.raises(ValidationError) as exc:
        submit_referral(draft, actor=nav)
    assert _code(exc) == "consent_required"
    consent = referral_consent(personas, personas.legal, ["identity", "legal"])
    sent = submit_referral(draft, actor=nav)
    assert sent.status == Status.REQUESTED and sent.consent_ids == [str(consent.pk)]


def test_a_substance_use_referral_needs_a_part2_consent_that_names_it(personas, nav):
    clinic = listing("org-dawn", "New Dawn", ["substance_use"])
    link(personas, personas.housing, clinic)  # any partner agency stands in for the clinic
    referral_consent(personas, personas.housing, ["identity", "health"])
    with pytest.raises(ValidationError) as exc:
        create_referral(personas.survivor, ReferralRequest(service=clinic), actor=nav)
    assert _code(exc) == "consent_missing_category"
    # A broad grant never covers substance use (42 CFR Part 2).
    referral_consent(personas, personas.housing, ["all"])
    with pytest.raises(ValidationError):
        create_referral(personas.survivor, ReferralRequest(service=clinic), actor=nav)
    referral_consent(personas, personas.housing, ["identity", "substance_use"], **PART2)
    assert (
        create_referral(personas.survivor, ReferralRequest(service=clinic), actor=nav).status
        == "requested"
    )


def test_direct_contact_only_with_contact_consent_and_a_safe_method(personas, nav, legal_service):
    referral_consent(personas, personas.legal, ["identity", "legal"])
    with pytest.raises(ValidationError) as exc:
        create_referral(
            personas.survivor,
            ReferralRequest(service=legal_service, direct_contact=True),
            actor=nav,
        )
    assert _code(exc) == "contact_not_allowed"
    referral_consent(personas, personas.legal, ["contact"])
    referral = create_referral(
        personas.survivor, ReferralRequest(service=legal_service, direct_contact=True), actor=nav
    )
    assert referral.contact_prohibited is False


def test_an_organisation_not_on_wayfinder_gets_a_packet(personas, nav):
    pantry = listing("org-pantry", "Pilsen Pantry", ["basic_needs"])
    referral = create_referral(personas.survivor, ReferralRequest(service=pantry), actor=nav)
    assert referral.delivery == Delivery.PACKET
    assert referral.recipient_agency is None and referral.recipient_name == "Pilsen Pantry"
    assert referral.consent_ids == []
    assert not Notification.objects.exists()


def test_by_hand_to_an_agency_and_bad_targets(personas, nav, legal_consent):
    referral = create_referral(
        personas.survivor,
        ReferralRequest(recipient_agency=personas.legal, service_category="legal_civil"),
        actor=nav,
    )
    assert referral.recipient_agency == personas.legal and referral.service is None
    with pytest.raises(ValidationError) as exc:
        create_referral(personas.survivor, ReferralRequest(recipient_agency=personas.lead, service_category="legal_civil"), actor=nav)  # fmt: skip
    assert _code(exc) == "recipient_is_sender"
    with pytest.raises(ValidationError) as exc:
        create_referral(personas.survivor, ReferralRequest(), actor=nav)
    assert _code(exc) == "target_required"
    with pytest.raises(ValidationError) as exc:
        create_referral(
            personas.survivor, ReferralRequest(recipient_agency=personas.legal), actor=nav
        )
    assert _code(exc) == "category_required"


def test_a_category_the_service_does_not_offer_is_refused(
    personas, nav, legal_service, legal_consent
):
    with pytest.raises(ValidationError) as exc:
        create_referral(
            personas.survivor,
            ReferralRequest(service=legal_service, service_category="housing"),
            actor=nav,
        )
    assert _code(exc) == "category_not_offered"


@pytest.mark.parametrize("who", ["lawyer_b", "outsider_c", "analyst"])
def test_only_the_owning_agency_refers(personas, legal_service, legal_consent, who):
    with pytest.raises(PermissionDenied):
        create_referral(
            personas.survivor,
            ReferralRequest(service=legal_service),
            actor=personas.actor(getattr(personas, who)),
        )
