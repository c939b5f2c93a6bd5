"""The API of a referral a partner can act on: the reason and the communication needs in the
detail (only as consented), submit with ``confirm_withheld``, no endpoint or reason for the
automatic hold, and the outsider's 404."""

from wayfinder.referrals import actions
from wayfinder.referrals.tests.factories import referral_consent

BASE = "/api/v1/referrals/"


def test_detail_carries_reason_and_communication(personas, api_as, legal_service):
    referral_consent(
        personas, personas.legal, ["identity", "legal", "communication", "referral_reason"]
    )
    nav = api_as(personas.navigator_a)
    body = {"person_id": str(personas.survivor.pk), "service_id": legal_service.pk,
            "reason_for_referral": "Wage theft claim"}  # fmt: skip
    rid = nav.post(BASE, body).json()["id"]
    read = api_as(personas.lawyer_b).get(f"{BASE}{rid}/").json()
    assert read["reason_for_referral"] == "Wage theft claim"
    assert read["payload"]["reason_for_referral"] == "Wage theft claim"
    assert read["communication"]["languages"] == ["spa", "eng"]
    assert read["communication"]["contact_through_navigator"] is True
    assert api_as(personas.outsider_c).get(f"{BASE}{rid}/").status_code == 404


def test_submit_confirms_withheld_text_and_the_automatic_hold_has_no_endpoint(
    personas, api_as, legal_service
):
    referral_consent(personas, personas.legal, ["identity", "legal"])
    nav = api_as(personas.navigator_a)
    body = {"person_id": str(personas.survivor.pk), "service_id": legal_service.pk,
            "reason_for_referral": "Wage theft claim", "send": False}  # fmt: skip
    rid = nav.post(BASE, body).json()["id"]
    response = nav.post(f"{BASE}{rid}/submit/", {})
    assert response.status_code == 422 and response.json()["code"] == "text_not_consented"
    response = nav.post(f"{BASE}{rid}/submit/", {"confirm_withheld": True})
    assert response.status_code == 200 and response.json()["status"] == "requested"
    assert nav.post(f"{BASE}{rid}/consent-withdrawn/", {}).status_code == 404
    response = nav.post(f"{BASE}{rid}/cancel/", {"reason": "consent_withdrawn"})
    assert response.status_code == 422


def test_outsider_gets_404_on_the_new_fields(personas, api_as, legal_service):
    referral_consent(personas, personas.legal, ["identity", "legal"])
    referral = actions.create_referral(
        personas.survivor,
        actions.ReferralRequest(service=legal_service),
        actor=personas.actor(personas.navigator_a),
    )
    outsider = api_as(personas.outsider_c)
    assert outsider.post(f"{BASE}{referral.pk}/submit/", {}).status_code == 404
