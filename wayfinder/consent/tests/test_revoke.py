"""Withdrawal is one step, takes effect at once, and records the channel and who recorded it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from wayfinder.access.gate import AccessEnded, get_access, persons_for
from wayfinder.audit.models import AuditEvent
from wayfinder.consent.actions import revoke_consent
from wayfinder.consent.tests.factories import consent


def test_revocation_cuts_access_at_once(personas, lawyer_on_team):
    c = consent(personas, personas.legal, ["identity", "legal"])
    lawyer = personas.actor(personas.lawyer_b)
    assert get_access(lawyer, personas.survivor.pk)

    revoke_consent(c, actor=personas.actor(personas.navigator_a), channel="phone")

    with pytest.raises(AccessEnded) as ended:
        get_access(lawyer, personas.survivor.pk)
    assert isinstance(ended.value, Http404)  # still a 404 to anything that does not know better
    assert ended.value.reason == "revoked" and ended.value.pseudonym == personas.survivor.pseudonym
    assert not persons_for(lawyer).exists()


def test_revocation_records_channel_recorder_and_audit(personas, lawyer_on_team):
    c = consent(personas, personas.legal, ["identity", "legal"])
    revoke_consent(c, actor=personas.actor(personas.navigator_a), channel="in_person")
    c.refresh_from_db()
    assert c.revoked_at is not None and c.revoked_via == "in_person"
    assert c.revoked_recorded_by == personas.navigator_a
    assert c.revoked_recorded_at_agency == personas.lead
    event = AuditEvent.objects.get(action="consent.revoke")
    assert event.object_id == str(c.pk) and event.actor_id == personas.navigator_a.pk
    assert event.detail == {
        "channel": "in_person",
        "recipient_agency_id": str(personas.legal.pk),
        "was": "active",
    }


def test_partner_told_of_an_oral_withdrawal_records_it(personas, lawyer_on_team):
    c = consent(personas, personas.legal, ["identity", "legal"])
    revoke_consent(c, actor=personas.actor(personas.lawyer_b), channel="via_partner")
    c.refresh_from_db()
    assert c.revoked_recorded_by == personas.lawyer_b and c.revoked_via == "via_partner"
    assert c.revoked_recorded_at_agency == personas.legal


def test_outsider_cannot_revoke(personas):
    c = consent(personas, personas.legal, ["identity"])
    with pytest.raises(PermissionDenied):
        revoke_consent(c, actor=personas.actor(personas.outsider_c), channel="phone")


@pytest.mark.parametrize(
    ("channel", "code"), [("", "channel_required"), ("carrier_pigeon", "channel_required")]
)
def test_revocation_needs_a_known_channel(personas, channel, code):
    c = consent(personas, personas.legal, ["identity"])
    with pytest.raises(ValidationError) as err:
        revoke_consent(c, actor=personas.actor(personas.navigator_a), channel=channel)
    assert err.value.code == code


def test_a_withdrawn_consent_cannot_be_withdrawn_again(personas):
    c = consent(personas, personas.legal, ["identity"])
    revoke_consent(c, actor=personas.actor(personas.navigator_a), channel="phone")
    with pytest.raises(ValidationError) as err:
        revoke_consent(c, actor=personas.actor(personas.navigator_a), channel="phone")
    assert err.value.code == "already_revoked"


def test_partner_pages_say_access_ended_and_show_nothing_else(personas, lawyer_on_team, web):
    c = consent(personas, personas.legal, ["identity", "legal"])
    revoke_consent(c, actor=personas.actor(personas.navigator_a), channel="phone")
    client = web(personas.lawyer_b)
    for url in (
        f"/people/{personas.survivor.pk}/",
        f"/consent/person/{personas.survivor.pk}/",
        f"/consent/{c.pk}/",
        f"/plans/person/{personas.survivor.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 410, url
        page = response.content.decode()
        assert "because the person withdrew their consent" in page
        assert personas.survivor.pseudonym in page
        assert "Ana" not in page and "Rivera" not in page


def test_a_partner_taken_off_the_team_just_gets_404(personas, lawyer_on_team, web):
    from wayfinder.people.actions import remove_care_team_member

    c = consent(personas, personas.legal, ["identity"])
    revoke_consent(c, actor=personas.actor(personas.navigator_a), channel="phone")
    remove_care_team_member(lawyer_on_team, actor=personas.actor(personas.navigator_a))
    assert web(personas.lawyer_b).get(f"/people/{personas.survivor.pk}/").status_code == 404
