"""The session, consent and referral APIs take and show who interpreted (issue 17, item 4)."""

from wayfinder.assessments.tests.test_api import start
from wayfinder.consent.tests.test_api import URL as CONSENTS
from wayfinder.consent.tests.test_api import body as consent_body

PHONE = {"interpretation": "interpreted", "mode": "phone", "language": "vie",
         "provider": "other", "provider_name": "Language Line"}  # fmt: skip


def test_the_three_apis_record_and_show_who_interpreted(
    personas, api_as, legal_service, legal_consent
):
    nav = api_as(personas.navigator_a)
    session = start(nav, personas.survivor, interpreter=PHONE)
    assert session.status_code == 201, session.content
    shown = session.json()
    assert shown["interpreter_used"] == "yes"
    assert shown["interpreter"] == {"interpretation": "interpreted", "mode": "phone",
                                    "language": "vie", "provider_kind": "other",
                                    "provider_id": "", "provider_name": "Language Line"}  # fmt: skip

    consent = nav.post(CONSENTS, consent_body(personas, interpreter={"interpretation": "declined"}))
    assert consent.status_code == 201, consent.content
    assert consent.json()["interpreter"]["interpretation"] == "declined"
    assert consent.json()["interpreter_used"] is False

    referral = nav.post(
        "/api/v1/referrals/",
        {
            "person_id": str(personas.survivor.pk),
            "service_id": legal_service.pk,
            "interpreter": {**PHONE, "provider": f"agency:{personas.housing.pk}"},
        },
    )
    assert referral.status_code == 201, referral.content
    assert referral.json()["interpreter"]["provider_name"] == personas.housing.name
    lawyer = api_as(personas.lawyer_b)
    assert lawyer.get(f"/api/v1/referrals/{referral.json()['id']}/").json()["interpreter"] is None


def test_a_bad_interpreter_is_a_coded_422(personas, api_as):
    nav = api_as(personas.navigator_a)
    response = start(nav, personas.survivor, interpreter={**PHONE, "mode": "fax"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_interpreter_mode"
    assert list(response.json()["errors"]) == ["interpreter_mode"]
    response = start(nav, personas.survivor, interpreter={**PHONE, "interpreter": "x"})
    assert response.status_code == 422  # unknown fields are refused
