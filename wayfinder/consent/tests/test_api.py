"""``/api/v1/consents/``: list, create, revoke through the gate, with coded errors."""

from datetime import timedelta

import pytest
from django.utils import timezone

from wayfinder.consent.models import Consent
from wayfinder.consent.tests.factories import consent

URL = "/api/v1/consents/"


def body(personas, **changes):
    data = {
        "person_id": str(personas.survivor.pk),
        "recipient_agency_id": str(personas.legal.pk),
        "purposes": ["care_coordination"],
        "categories": ["identity", "legal"],
        "expires_at": (timezone.now() + timedelta(days=90)).isoformat(),
        "method": "electronic_signature",
        "signature": {"kind": "typed", "typed_name": "Ana Rivera"},
        "explained_not_a_condition": True,
    }
    data.update(changes)
    return data


def test_create_list_and_revoke(personas, api_as, lawyer_on_team):
    nav = api_as(personas.navigator_a)
    created = nav.post(URL, body(personas))
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "active" and data["categories"] == ["identity", "legal"]
    assert data["pseudonym"] == personas.survivor.pseudonym
    assert "typed_name" not in data and "Ana" not in created.content.decode()

    listed = nav.get(f"{URL}persons/{personas.survivor.pk}/")
    assert [c["id"] for c in listed.json()] == [data["id"]]

    lawyer = api_as(personas.lawyer_b)
    assert lawyer.get(f"/api/v1/persons/{personas.survivor.pk}").status_code == 200

    revoked = nav.post(f"{URL}{data['id']}/revoke/", {"channel": "phone"})
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert revoked.json()["revoked_via"] == "phone"
    assert revoked.json()["revoked_recorded_by_id"] == personas.navigator_a.pk

    again = nav.post(f"{URL}{data['id']}/revoke/", {"channel": "phone"})
    assert again.status_code == 409 and again.json()["code"] == "already_revoked"


def test_partner_whose_consent_ended_gets_410_access_ended(personas, api_as, lawyer_on_team):
    c = consent(personas, personas.legal, ["identity", "legal"])
    lawyer = api_as(personas.lawyer_b)
    assert lawyer.get(f"{URL}persons/{personas.survivor.pk}/").status_code == 200
    lawyer.post(f"{URL}{c.pk}/revoke/", {"channel": "via_partner"})
    response = lawyer.get(f"{URL}persons/{personas.survivor.pk}/")
    assert response.status_code == 410
    data = response.json()
    assert data["code"] == "access_ended" and data["reason"] == "revoked"
    assert data["pseudonym"] == personas.survivor.pseudonym
    assert set(data) == {"code", "message", "ended_at", "reason", "pseudonym"}
    # Every endpoint behind the gate says so, not just the consent ones.
    other = lawyer.get(f"/api/v1/persons/{personas.survivor.pk}")
    assert other.status_code == 410 and other.json()["code"] == "access_ended"
    assert "Ana" not in other.content.decode()


def test_partner_lists_only_the_consents_naming_its_agency(personas, api_as, lawyer_on_team):
    mine = consent(personas, personas.legal, ["identity"])
    consent(personas, personas.housing, ["identity", "contact"])
    listed = api_as(personas.lawyer_b).get(f"{URL}persons/{personas.survivor.pk}/").json()
    assert [c["id"] for c in listed] == [str(mine.pk)]


def test_partner_cannot_record_consent(personas, api_as, lawyer_on_team):
    consent(personas, personas.legal, ["identity"])
    response = api_as(personas.lawyer_b).post(
        URL, body(personas, recipient_agency_id=str(personas.housing.pk))
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        (
            {"expires_at": (timezone.now() - timedelta(days=1)).isoformat()},
            "expiry_in_past",
            "expires_at",
        ),
        ({"categories": ["everything"]}, "category_unknown", "categories"),
        (
            {"signature": {"kind": "upload", "upload_base64": "JVBERi0="}},
            "signature_mismatch",
            "signature_kind",
        ),
        (
            {
                "method": "written",
                "signature": {
                    "kind": "upload",
                    "upload_base64": "bm90IGEgcGRm",
                    "upload_content_type": "application/pdf",
                },
            },
            "artifact_type",
            "upload",
        ),
        (
            {"categories": ["substance_use"]},
            "part2_description_required",
            "substance_use_description",
        ),
    ],
)
def test_bad_consents_get_coded_422(personas, api_as, changes, code, field):
    response = api_as(personas.navigator_a).post(URL, body(personas, **changes))
    assert response.status_code == 422
    data = response.json()
    assert code in [e["code"] for e in data["errors"][field]]
    assert not Consent.objects.exists()


def test_naive_datetimes_are_read_in_the_network_time_zone(personas, api_as):
    naive = (timezone.localtime() + timedelta(days=30)).replace(tzinfo=None).isoformat()
    response = api_as(personas.navigator_a).post(URL, body(personas, expires_at=naive))
    assert response.status_code == 201


def test_unknown_recipient_and_bad_base64_are_coded(personas, api_as):
    nav = api_as(personas.navigator_a)
    r = nav.post(URL, body(personas, recipient_agency_id="00000000-0000-0000-0000-000000000000"))
    assert r.status_code == 422 and r.json()["code"] == "recipient_invalid"
    r = nav.post(
        URL, body(personas, method="written", signature={"kind": "upload", "upload_base64": "%%%"})
    )
    assert r.status_code == 422 and r.json()["code"] == "artifact_invalid"


def test_outsider_gets_404_on_every_consent_endpoint(personas, api_as):
    c = consent(personas, personas.legal, ["identity"])
    outsider = api_as(personas.outsider_c)
    assert outsider.get(f"{URL}persons/{personas.survivor.pk}/").status_code == 404
    assert outsider.get(f"{URL}{c.pk}/").status_code == 404
    assert outsider.get(f"{URL}{c.pk}/fhir/").status_code == 404
    assert outsider.post(f"{URL}{c.pk}/revoke/", {"channel": "phone"}).status_code == 404
    assert outsider.post(URL, body(personas)).status_code == 404
    c.refresh_from_db()
    assert c.revoked_at is None


def test_fhir_consent_endpoint(personas, api_as):
    c = consent(personas, personas.legal, ["identity", "legal"])
    data = api_as(personas.navigator_a).get(f"{URL}{c.pk}/fhir/").json()
    assert data["resourceType"] == "Consent" and data["id"] == str(c.pk)
