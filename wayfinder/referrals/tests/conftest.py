"""Fixtures: the legal partner listed in the directory, the survivor's needs, a sent referral."""

import pytest

from wayfinder.assessments.actions import add_need
from wayfinder.referrals.actions import ReferralRequest, create_referral
from wayfinder.referrals.tests.factories import link, listing, referral_consent


@pytest.fixture
def lawyer(personas):
    return personas.actor(personas.lawyer_b)


@pytest.fixture
def outsider(personas):
    return personas.actor(personas.outsider_c)


@pytest.fixture
def legal_service(personas):
    """Justice Bridge's civil legal aid service, linked to the ``legal`` agency."""
    service = listing(
        "org-justice",
        "Justice Bridge Legal Aid",
        ["legal_civil", "legal_immigration"],
        service_name="Civil Legal Aid",
        email="intake@justice.example",
    )
    link(personas, personas.legal, service)
    return service


@pytest.fixture
def needs(personas, nav):
    """The survivor's needs: legal (civil), mental health and substance use."""
    person = personas.survivor
    return {
        "legal": add_need(person, actor=nav, category="legal_civil", urgency="high",
                          note="Wage theft claim against the farm"),
        "health": add_need(person, actor=nav, category="mental_health", urgency="medium",
                           note="Nightmares since leaving"),
        "sud": add_need(person, actor=nav, category="substance_use", urgency="medium",
                        note="Drinks to sleep"),
    }  # fmt: skip


@pytest.fixture
def legal_consent(personas):
    """The survivor agreed to share identity and legal information with legal aid, for referrals."""
    return referral_consent(personas, personas.legal, ["identity", "legal"])


@pytest.fixture
def referral(personas, nav, legal_service, legal_consent, needs):
    """A referral sent by ``navigator_a`` to legal aid for the civil legal need."""
    return create_referral(
        personas.survivor,
        ReferralRequest(
            service=legal_service,
            need_id=needs["legal"].pk,
            note="Prefers a woman attorney; Spanish speaker.",
            # The consent leaves out "needs", so the note is withheld: the sender confirmed.
            confirm_withheld=True,
        ),
        actor=nav,
    )
