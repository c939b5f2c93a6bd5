"""``/api/v1/referrals/``: create, read (consented payload only), transitions with coded errors,
the inbox, the FHIR Bundle and the SDOHCC-style Task polling; outsiders get 404 everywhere."""

import json
from datetime import timedelta

from django.utils import timezone

from wayfinder.audit.models import AuditEvent
from wayfinder.consent.actions import revoke_consent
from wayfinder.referrals.models import Referral

BASE = "/api/v1/referrals/"


def test_create_read_and_move_a_referral(personas, api_as, legal_service, legal_consent, needs):
    nav, lawyer = api_as(personas.navigator_a), api_as(personas.lawyer_b)
    body = {"person_id": str(personas.survivor.pk), "service_id": legal_service.pk,
            "need_id": str(needs["legal"].pk), "note": "Bring the pay slips"}  # fmt: skip
    # The consent leaves out "needs": the note is flagged before sending, not dropped silently.
    response = nav.post(BASE, body)
    assert response.status_code == 422 and response.json()["code"] == "text_not_consented"
    response = nav.post(BASE, {**body, "confirm_withheld": True})
    assert response.status_code == 201, response.content
    created = response.json()
    rid = created["id"]
    assert created["status"] == "requested" and created["shared_categories"] == [
        "identity",
        "legal",
    ]
    assert created["payload"] is None and created["allowed"] == ["cancel", "mark_error"]

    read = lawyer.get(f"{BASE}{rid}/").json()
    assert read["payload"]["categories"] == ["identity", "legal"]
    assert read["payload"]["fields"]["chosen_name"] == "Ana Rivera"
    assert "phone" not in read["payload"]["fields"] and read["payload"]["note"] == ""
    assert read["allowed"] == ["accept", "reject"]
    assert AuditEvent.objects.filter(action="referral.disclose", object_id=rid).count() == 1

    response = lawyer.post(f"{BASE}{rid}/accept/", {"version": 1})
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    response = lawyer.post(f"{BASE}{rid}/accept/", {"version": 1})
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    response = lawyer.post(f"{BASE}{rid}/accept/", {})
    assert response.status_code == 409 and response.json()["code"] == "illegal_transition"
    lawyer.post(f"{BASE}{rid}/start/", {})
    response = lawyer.post(f"{BASE}{rid}/complete/", {})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "outcome"
    response = lawyer.post(f"{BASE}{rid}/complete/", {"outcome": "service_provided"})
    assert response.json()["status"] == "completed"
    response = nav.post(f"{BASE}{rid}/cancel/", {"reason": "no_longer_needed"})
    assert response.status_code == 409 and response.json()["code"] == "illegal_transition"


def test_create_errors_are_coded(personas, api_as, legal_service):
    nav = api_as(personas.navigator_a)
    body = {"person_id": str(personas.survivor.pk), "service_id": legal_service.pk}
    response = nav.post(BASE, body)
    assert response.status_code == 422 and response.json()["code"] == "consent_required"
    response = nav.post(BASE, {**body, "service_id": "nope"})
    assert response.json()["code"] == "service_unknown"
    response = nav.post(BASE, {"person_id": "not-a-uuid"})
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"


def test_reject_needs_a_reason(personas, api_as, referral):
    lawyer = api_as(personas.lawyer_b)
    response = lawyer.post(f"{BASE}{referral.pk}/reject/", {})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "reason"
    response = lawyer.post(f"{BASE}{referral.pk}/reject/", {"reason": "other", "note": " "})
    assert response.status_code == 422 and response.json()["code"] == "note_required"
    response = lawyer.post(f"{BASE}{referral.pk}/reject/", {"reason": "no_capacity"})
    assert response.json()["status"] == "rejected" and response.json()["reason"] == "no_capacity"


def test_outsider_gets_404_on_every_endpoint(personas, api_as, referral):
    outsider = api_as(personas.outsider_c)
    rid = referral.pk
    for path in (f"{BASE}{rid}/", f"{BASE}{rid}/fhir/"):
        assert outsider.get(path).status_code == 404, path
    for name in ("accept", "reject", "start", "hold", "resume", "complete", "cancel", "fail",
                 "submit", "mark-error", "updates"):  # fmt: skip
        body = {"note": "x"} if name == "updates" else {"reason": "other", "note": "x"}
        if name == "complete":
            body["outcome"] = "service_provided"
        response = outsider.post(f"{BASE}{rid}/{name}/", body)
        assert response.status_code == 404, name
    body = {"person_id": str(personas.survivor.pk), "service_id": referral.service_id}
    assert outsider.post(BASE, body).status_code == 404
    empty = dict.fromkeys(("overdue", "new", "active"), 0)
    assert outsider.get(f"{BASE}inbox/").json() == {
        "new": [],
        "overdue": [],
        "active": [],
        "counts": empty,
        "capped": dict.fromkeys(empty, False),
        "next": {},
    }
    assert outsider.get(f"{BASE}inbox/new/").json() == {"rows": [], "next": None}
    tasks = outsider.get(f"{BASE}fhir/Task").json()
    assert tasks["total"] == 0 and tasks["entry"] == []


def test_withdrawn_consent_gives_410_access_ended(personas, api_as, referral, nav, legal_consent):
    lawyer = api_as(personas.lawyer_b)
    revoke_consent(legal_consent, actor=nav, channel="phone")
    response = lawyer.get(f"{BASE}{referral.pk}/")
    assert response.status_code == 410 and response.json()["code"] == "access_ended"
    assert "Ana" not in response.content.decode()
    response = lawyer.post(f"{BASE}{referral.pk}/accept/", {})
    assert response.status_code == 410


def test_inbox_endpoint(personas, api_as, referral):
    box = api_as(personas.lawyer_b).get(f"{BASE}inbox/").json()
    assert [r["reference"] for r in box["new"]] == [referral.reference]
    assert "Ana" not in json.dumps(box)


def test_task_polling_like_the_ig(personas, api_as, referral, legal_service, nav, lawyer):
    from wayfinder.referrals.actions import ReferralRequest, accept_referral, create_referral

    other = create_referral(personas.survivor, ReferralRequest(service=legal_service), actor=nav)
    accept_referral(other, actor=lawyer)
    client = api_as(personas.lawyer_b)
    since = (timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    response = client.get(
        f"{BASE}fhir/Task",
        {"owner": str(personas.legal.pk), "status": "requested", "_lastupdated": f"gt{since}"},
    )
    bundle = response.json()
    assert response.status_code == 200 and bundle["type"] == "searchset"
    assert [e["resource"]["id"] for e in bundle["entry"]] == [str(referral.pk)]
    assert bundle["entry"][0]["resource"]["status"] == "requested"
    future = (timezone.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert client.get(f"{BASE}fhir/Task", {"_lastupdated": f"gt{future}"}).json()["total"] == 0
    both = client.get(f"{BASE}fhir/Task", {"_include": "Task:focus"}).json()
    assert both["total"] == 2
    assert sorted(e["resource"]["resourceType"] for e in both["entry"]) == [
        "ServiceRequest", "ServiceRequest", "Task", "Task",
    ]  # fmt: skip
    bad = client.get(f"{BASE}fhir/Task", {"status": "received"})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_search"
    bad = client.get(f"{BASE}fhir/Task", {"_lastupdated": "yesterday"})
    assert bad.status_code == 422
    # The sender follows its own referrals the same way.
    sent = api_as(personas.navigator_a).get(f"{BASE}fhir/Task", {"status": "accepted"}).json()
    assert [e["resource"]["id"] for e in sent["entry"]] == [str(other.pk)]


def test_fhir_bundle_endpoint(personas, api_as, referral):
    bundle = api_as(personas.lawyer_b).get(f"{BASE}{referral.pk}/fhir/").json()
    types = sorted(e["resource"]["resourceType"] for e in bundle["entry"])
    assert types == ["Consent", "Patient", "ServiceRequest", "Task"]
    assert AuditEvent.objects.filter(action="referral.fhir_export").count() == 1
    assert Referral.objects.count() == 1
