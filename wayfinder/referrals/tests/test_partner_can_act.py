"""A referral a partner can act on (issue 11, item 2): the reason for referral and the person's
communication needs travel only as consented, text no consent covers is flagged before sending,
and a withdrawal puts the open referral on hold and tells the partner."""

import pytest

from wayfinder.audit.models import AuditEvent
from wayfinder.consent.actions import revoke_consent
from wayfinder.core.errors import CodedError
from wayfinder.referrals import actions, fhir, queries
from wayfinder.referrals.models import EventKind, Notification, Reason, Status
from wayfinder.referrals.tests.factories import referral_consent

REASON = "Wage theft claim: needs advice before the deadline in March."


def _send(personas, nav, service, **kw):
    return actions.create_referral(
        personas.survivor,
        actions.ReferralRequest(service=service, reason=REASON, **kw),
        actor=nav,
    )


def _payload(actor, referral):
    view = queries.get_referral(actor, referral.pk)
    return queries.referral_payload(actor, view.referral)


def test_reason_and_communication_reach_the_partner_when_consented(
    personas, nav, lawyer, legal_service
):
    referral_consent(
        personas, personas.legal, ["identity", "legal", "communication", "referral_reason"]
    )
    referral = _send(personas, nav, legal_service)
    payload = _payload(lawyer, referral)
    assert payload["reason_for_referral"] == REASON
    communication = dict(payload["communication"])
    # Whether an interpreter will be needed there (issue 17): the service lists no language.
    assert communication.pop("interpreter_line") == (
        "Check whether staff speak Spanish: this service lists no language"
    )
    assert communication == {
        "languages": ["spa", "eng"],
        "language_names": ["Spanish", "English"],
        "interpreter_needed": "no",
        "contact_through_navigator": True,
        "navigator_agency": personas.lead.name,
    }
    event = AuditEvent.objects.filter(action="referral.disclose").latest("seq")
    assert event.detail["reason"] is True and event.detail["communication"] is True
    assert REASON not in str(event.detail)

    bundle = fhir.referral_bundle(referral, payload)
    resources = {e["resource"]["resourceType"]: e["resource"] for e in bundle["entry"]}
    assert resources["ServiceRequest"]["reasonCode"] == [{"text": REASON}]
    patient = resources["Patient"]
    assert [c["language"]["text"] for c in patient["communication"]] == ["spa", "eng"]
    assert patient["extension"] == [{"url": fhir.INTERPRETER_REQUIRED, "valueBoolean": False}]


def test_without_those_categories_nothing_of_them_travels(personas, nav, lawyer, legal_service):
    referral_consent(personas, personas.legal, ["identity", "legal"])
    referral = _send(personas, nav, legal_service, confirm_withheld=True)
    payload = _payload(lawyer, referral)
    assert payload["reason_for_referral"] == "" and payload["communication"] is None
    assert "preferred_languages" not in payload["fields"]
    resources = {
        e["resource"]["resourceType"]: e["resource"]
        for e in fhir.referral_bundle(referral, payload)["entry"]
    }
    assert "reasonCode" not in resources["ServiceRequest"]
    assert "communication" not in resources["Patient"]


def test_text_no_consent_covers_is_flagged_before_sending(personas, nav, legal_service):
    referral_consent(personas, personas.legal, ["identity", "legal"])
    with pytest.raises(CodedError) as exc:
        _send(personas, nav, legal_service)
    assert exc.value.code == "text_not_consented" and exc.value.field == "reason"
    with pytest.raises(CodedError) as exc:
        actions.create_referral(
            personas.survivor,
            actions.ReferralRequest(service=legal_service, note="Bring the pay slips"),
            actor=nav,
        )
    assert exc.value.code == "text_not_consented" and exc.value.field == "note"
    referral = _send(personas, nav, legal_service, confirm_withheld=True)
    event = AuditEvent.objects.get(action="referral.create", object_id=str(referral.pk))
    assert event.detail["withheld"] == ["reason"]


def test_a_draft_is_flagged_when_it_is_submitted(personas, nav, legal_service):
    referral_consent(personas, personas.legal, ["identity", "legal"])
    draft = _send(personas, nav, legal_service, send=False)
    with pytest.raises(CodedError) as exc:
        actions.submit_referral(draft, actor=nav)
    assert exc.value.code == "text_not_consented"
    sent = actions.submit_referral(draft, actor=nav, confirm_withheld=True)
    assert sent.status == Status.REQUESTED


@pytest.mark.parametrize("steps", [[], ["accept"], ["accept", "start"]])
def test_withdrawal_puts_the_open_referral_on_hold_and_tells_the_partner(
    personas, nav, lawyer, legal_service, steps
):
    consent = referral_consent(personas, personas.legal, ["identity", "legal", "referral_reason"])
    referral = _send(personas, nav, legal_service)
    for name in steps:
        referral = actions.transition(referral, name, actor=lawyer)
    revoke_consent(consent, actor=nav, channel="phone")

    referral.refresh_from_db()
    assert referral.status == Status.ON_HOLD and referral.reason == Reason.CONSENT_WITHDRAWN
    assert referral.version == len(steps) + 2
    last = referral.events.order_by("-created_at", "-pk").first()
    assert (last.kind, last.to_status, last.reason) == (
        EventKind.TRANSITION,
        Status.ON_HOLD,
        Reason.CONSENT_WITHDRAWN,
    )
    event = AuditEvent.objects.get(action="referral.consent_withdrawn")
    assert event.detail["consent_id"] == str(consent.pk) and event.detail["to"] == "on-hold"
    # The revocation and the hold are one transaction: the hold comes right after it.
    revoke = AuditEvent.objects.get(action="consent.revoke")
    assert event.seq == revoke.seq + 1
    note = Notification.objects.get(kind="consent_withdrawn", recipient_agency=personas.legal)
    assert note.referral_id == referral.pk and note.status == Status.ON_HOLD


def test_another_referral_consent_keeps_the_referral_going(personas, nav, lawyer, legal_service):
    first = referral_consent(personas, personas.legal, ["identity", "legal", "referral_reason"])
    referral_consent(personas, personas.legal, ["identity", "legal", "referral_reason"])
    referral = actions.transition(_send(personas, nav, legal_service), "accept", actor=lawyer)
    revoke_consent(first, actor=nav, channel="phone")
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    assert not Notification.objects.filter(kind="consent_withdrawn").exists()


def test_the_automatic_hold_is_no_button_and_no_endpoint(personas, nav, lawyer, legal_service):
    referral_consent(personas, personas.legal, ["identity", "legal", "referral_reason"])
    referral = _send(personas, nav, legal_service)
    with pytest.raises(CodedError) as exc:
        actions.transition(referral, "consent_withdrawn", actor=nav, reason="consent_withdrawn")
    assert exc.value.code == "illegal_transition"
    assert "consent_withdrawn" not in referral.allowed("sender") + referral.allowed("recipient")


def test_accepting_partner_joins_the_care_team_with_exactly_the_consented_categories(
    personas, nav, lawyer, legal_service
):
    from wayfinder.access.gate import access_for, persons_for

    referral_consent(
        personas,
        personas.legal,
        ["identity", "legal", "referral_reason"],
        purposes=("referral", "care_coordination"),
    )
    referral = _send(personas, nav, legal_service)
    assert actions.care_team_offer(referral, lawyer) == ""  # not accepted yet
    with pytest.raises(CodedError) as exc:
        actions.join_care_team(referral, actor=lawyer)
    assert exc.value.code == "illegal_transition"
    referral = actions.transition(referral, "accept", actor=lawyer)
    assert actions.care_team_offer(referral, lawyer) == "join"
    assert personas.survivor not in persons_for(lawyer)

    actions.join_care_team(referral, actor=lawyer)
    assert actions.care_team_offer(referral, lawyer) == "member"
    assert personas.survivor in persons_for(lawyer)
    assert access_for(lawyer, personas.survivor).categories == {
        "identity",
        "legal",
        "referral_reason",
    }
    event = AuditEvent.objects.get(action="care_team.add", actor_id=personas.lawyer_b.pk)
    assert event.detail["via"] == "referral" and event.detail["referral_id"] == str(referral.pk)
    with pytest.raises(CodedError) as exc:
        actions.join_care_team(referral, actor=lawyer)
    assert exc.value.code == "already_on_team"


def test_no_care_team_place_without_a_care_coordination_consent(
    personas, nav, lawyer, outsider, legal_service
):
    from django.core.exceptions import PermissionDenied

    referral_consent(personas, personas.legal, ["identity", "legal", "referral_reason"])
    referral = actions.transition(_send(personas, nav, legal_service), "accept", actor=lawyer)
    assert actions.care_team_offer(referral, lawyer) == "no_consent"
    with pytest.raises(CodedError) as exc:
        actions.join_care_team(referral, actor=lawyer)
    assert exc.value.code == "care_team_not_consented"
    assert not personas.survivor.care_team.filter(user=personas.lawyer_b).exists()
    for actor in (outsider, nav):
        with pytest.raises(PermissionDenied):
            actions.join_care_team(referral, actor=actor)


def test_the_withdrawal_email_says_nothing_personal(
    personas, nav, lawyer, legal_service, mailoutbox, django_capture_on_commit_callbacks
):
    consent = referral_consent(personas, personas.legal, ["identity", "legal", "referral_reason"])
    referral = _send(personas, nav, legal_service)
    with django_capture_on_commit_callbacks(execute=True):
        revoke_consent(consent, actor=nav, channel="phone")
    mail = [m for m in mailoutbox if "consent was withdrawn" in m.subject]
    assert len(mail) == 1 and mail[0].to == [personas.lawyer_b.email]
    body = mail[0].body
    assert str(referral.pk) in body
    for secret in ("Ana", "Rivera", personas.survivor.pseudonym, REASON[:10]):
        assert secret not in body and secret not in mail[0].subject
