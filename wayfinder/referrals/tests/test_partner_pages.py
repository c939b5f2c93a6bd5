"""The pages of a referral a partner can act on: the flag before sending, the reason and the
communication needs on the partner's page, the one-click care-team offer, and 404s."""

from django.urls import reverse

from wayfinder.referrals import actions
from wayfinder.referrals.models import Referral
from wayfinder.referrals.tests.factories import referral_consent


def test_the_form_flags_text_the_partner_would_not_see(personas, login, legal_service):
    referral_consent(personas, personas.legal, ["identity", "legal"])
    client = login(personas.navigator_a)
    url = reverse("referral_create", args=[personas.survivor.pk, legal_service.pk])
    body = {
        "service_category": "legal_civil",
        "priority": "routine",
        "reason_for_referral": "Wage theft claim",
        "send": "1",
    }
    response = client.post(url, body)
    assert response.status_code == 200 and not Referral.objects.exists()
    text = response.content.decode()
    assert 'id="withheld-warning"' in text and "does not include reason for referral" in text
    response = client.post(url, {**body, "confirm_withheld": "on"})
    assert response.status_code == 302 and Referral.objects.count() == 1


def test_the_partner_page_shows_reason_communication_and_the_team_offer(
    personas, login, nav, lawyer, legal_service
):
    referral_consent(
        personas,
        personas.legal,
        ["identity", "legal", "communication", "referral_reason"],
        purposes=("referral", "care_coordination"),
    )
    referral = actions.create_referral(
        personas.survivor,
        actions.ReferralRequest(service=legal_service, reason="Wage theft claim"),
        actor=nav,
    )
    client = login(personas.lawyer_b)
    text = client.get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert "Wage theft claim" in text and 'id="communication-needs"' in text
    assert "Spanish, English" in text and 'id="care-team-offer"' not in text
    actions.transition(referral, "accept", actor=lawyer)
    text = client.get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert "Join the care team" in text
    response = client.post(reverse("referral_join_team", args=[referral.pk]))
    assert response.status_code == 302
    assert personas.survivor.care_team.filter(user=personas.lawyer_b).exists()
    people = client.get(reverse("person_list")).content.decode()
    assert personas.survivor.pseudonym in people


def test_outsider_gets_404_on_join(personas, login, nav, legal_service):
    referral_consent(personas, personas.legal, ["identity", "legal"])
    referral = actions.create_referral(
        personas.survivor, actions.ReferralRequest(service=legal_service), actor=nav
    )
    response = login(personas.outsider_c).post(reverse("referral_join_team", args=[referral.pk]))
    assert response.status_code == 404


def test_a_draft_is_flagged_on_its_page_and_sent_once_confirmed(
    personas, login, nav, legal_service
):
    referral_consent(personas, personas.legal, ["identity", "legal"])
    draft = actions.create_referral(
        personas.survivor,
        actions.ReferralRequest(service=legal_service, reason="Wage theft claim", send=False),
        actor=nav,
    )
    client = login(personas.navigator_a)
    page = client.get(reverse("referral_detail", args=[draft.pk])).content.decode()
    assert 'id="withheld-warning"' in page and "reason for referral" in page
    url = reverse("referral_act", args=[draft.pk, "submit"])
    client.post(url, {"version": draft.version})
    draft.refresh_from_db()
    assert draft.status == "draft"
    client.post(url, {"version": draft.version, "confirm_withheld": "on"})
    draft.refresh_from_db()
    assert draft.status == "requested"
