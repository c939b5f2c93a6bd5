"""What the receiving agency sees: exactly the consented categories, only while consent lasts,
never substance use without a consent naming it, and every look audited with its consents."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.http import Http404
from django.utils import timezone

from wayfinder.access.gate import AccessEnded
from wayfinder.audit.models import AuditEvent
from wayfinder.consent.actions import revoke_consent
from wayfinder.people.models import FIELD_CATEGORIES
from wayfinder.referrals import actions, queries
from wayfinder.referrals.sharing import sharing
from wayfinder.referrals.tests.factories import PART2, referral_consent

IDENTITY_FIELDS = {f for f, c in FIELD_CATEGORIES.items() if c == "identity"}


def _payload(actor, referral):
    view = queries.get_referral(actor, referral.pk)
    return queries.referral_payload(actor, view.referral)


def test_the_partner_sees_exactly_the_consented_categories(referral, lawyer, legal_consent):
    payload = _payload(lawyer, referral)
    assert payload["categories"] == ["identity", "legal"]
    assert set(payload["fields"]) == IDENTITY_FIELDS
    assert payload["fields"]["chosen_name"] == "Ana Rivera"
    text = json.dumps(payload)
    # Contact, demographics, trafficking, needs (with their notes) and the note are all absent.
    for absent in ("+1 555", "60601", "1996,", "labour", "woman", "spa", "Wage theft",
                   "woman attorney", "Nightmares", "Drinks"):  # fmt: skip
        assert absent not in text
    assert payload["need"] is None and payload["note"] == "" and payload["goal"] is None
    assert payload["notices"] == []


def test_with_needs_consented_the_need_and_the_note_come_too(personas, referral, lawyer):
    referral_consent(personas, personas.legal, ["needs"])
    payload = _payload(lawyer, referral)
    assert payload["categories"] == ["identity", "legal", "needs"]
    assert payload["need"]["category"] == "legal_civil"
    assert payload["need"]["note"] == "Wage theft claim against the farm"
    assert payload["note"] == "Prefers a woman attorney; Spanish speaker."


def test_every_disclosure_is_audited_with_the_consents_used(referral, lawyer, legal_consent):
    _payload(lawyer, referral)
    event = AuditEvent.objects.get(action="referral.disclose")
    assert event.category == "referrals" and event.object_id == str(referral.pk)
    assert event.categories == ["identity", "legal"]
    assert event.detail["consents"] == {
        "identity": [str(legal_consent.pk)],
        "legal": [str(legal_consent.pk)],
    }
    assert event.detail["recipient_agency_id"] == str(referral.recipient_agency_id)
    assert "Ana" not in json.dumps(event.detail)
    # The consent app's own disclosure record names the consent as well.
    assert (
        AuditEvent.objects.get(action="consent.disclose").detail["consents"]
        == (event.detail["consents"])
    )


def test_a_partner_without_consent_gets_404(personas, referral):
    housing = personas.actor(personas.outsider_c)
    with pytest.raises(Http404) as exc:
        queries.get_referral(housing, referral.pk)
    assert not isinstance(exc.value, AccessEnded)
    # The intended recipient too, for a draft (nothing has been shared).
    draft = actions.create_referral(
        personas.survivor,
        actions.ReferralRequest(
            recipient_agency=personas.housing, service_category="housing", send=False
        ),
        actor=personas.actor(personas.navigator_a),
    )
    with pytest.raises(Http404):
        queries.get_referral(housing, draft.pk)


def test_revocation_cuts_access_at_once(personas, referral, lawyer, nav, legal_consent):
    assert queries.inbox(lawyer).total == 1
    revoke_consent(legal_consent, actor=nav, channel="phone")
    with pytest.raises(AccessEnded) as exc:
        queries.get_referral(lawyer, referral.pk)
    assert exc.value.reason == "revoked"
    assert queries.inbox(lawyer).total == 0
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.accept_referral(referral, actor=lawyer)
    # The sender still sees its referral, and that the partner can no longer open it.
    view = queries.get_referral(nav, referral.pk)
    assert view.is_sender and sharing(view.referral.person, personas.legal) == {}


def test_expiry_cuts_access_at_once(referral, lawyer, legal_consent):
    assert _payload(lawyer, referral)["categories"]
    with time_machine.travel(legal_consent.expires_at + timedelta(seconds=1), tick=False):
        with pytest.raises(AccessEnded) as exc:
            queries.get_referral(lawyer, referral.pk)
        assert exc.value.reason == "expired"
        assert queries.inbox(lawyer).total == 0


def test_substance_use_never_flows_under_a_consent_that_does_not_name_it(
    personas, nav, lawyer, legal_service, needs
):
    # A broad consent ("all") covers everything except substance use (42 CFR Part 2).
    referral_consent(personas, personas.legal, ["all"])
    referral = actions.create_referral(
        personas.survivor,
        actions.ReferralRequest(service=legal_service, need_id=needs["sud"].pk),
        actor=nav,
    )
    payload = _payload(lawyer, referral)
    assert "substance_use" not in payload["categories"]
    assert payload["need"] is None and "Drinks" not in json.dumps(payload)
    assert payload["notices"] == []
    # A consent that names it, with every §2.31 element, lets it through with the §2.32 notice.
    referral_consent(personas, personas.legal, ["needs", "substance_use"], **PART2)
    payload = _payload(lawyer, referral)
    assert "substance_use" in payload["categories"]
    assert payload["need"]["note"] == "Drinks to sleep"
    assert payload["notices"][0]["code"] == "42cfr2_redisclosure"


def test_a_health_goal_is_shared_only_with_plan_and_health(personas, nav, lawyer, legal_service):
    from wayfinder.plans.actions import add_goal

    goal = add_goal(
        personas.survivor, actor=nav, text="Sleep through the night", domain="mental_health"
    )
    referral_consent(personas, personas.legal, ["identity", "legal", "plan"])
    referral = actions.create_referral(
        personas.survivor,
        actions.ReferralRequest(service=legal_service, goal_id=goal.pk),
        actor=nav,
    )
    assert _payload(lawyer, referral)["goal"] is None
    referral_consent(personas, personas.legal, ["health"])
    assert _payload(lawyer, referral)["goal"]["text"] == "Sleep through the night"


def test_the_inbox_lists_new_overdue_and_active(personas, referral, lawyer, nav, legal_service):
    second = actions.create_referral(
        personas.survivor, actions.ReferralRequest(service=legal_service), actor=nav
    )
    actions.accept_referral(second, actor=lawyer)
    box = queries.inbox(lawyer)
    assert [r.pk for r in box.new] == [referral.pk]
    assert [r.pk for r in box.active] == [second.pk]
    with time_machine.travel(timezone.now() + timedelta(hours=49), tick=False):
        box = queries.inbox(lawyer)
        assert [r.pk for r in box.overdue] == [referral.pk] and box.new == []
        assert queries.counts(lawyer)["overdue"] == 1
    with time_machine.travel(timezone.now() + timedelta(days=15), tick=False):
        assert {r.pk for r in queries.inbox(lawyer).overdue} == {referral.pk, second.pk}
