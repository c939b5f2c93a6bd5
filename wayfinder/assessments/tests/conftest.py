"""Helpers for assessment tests: start, answer and finish sessions through the real actions."""

from datetime import date

import pytest

from wayfinder.api.tests.conftest import api_as, issue_token  # noqa: F401 - shared fixtures
from wayfinder.assessments import testing


@pytest.fixture
def nav(personas):
    """The lead agency's navigator, who owns ``personas.survivor``."""
    return personas.actor(personas.navigator_a)


@pytest.fixture
def run_session(personas, nav):
    """``run_session(instrument_id, answers, on=date, complete=True)`` -> Session."""

    def run(instrument_id, answers, *, on: date | None = None, complete=True, person=None):
        return testing.run_session(
            person or personas.survivor, nav, instrument_id, answers, on=on, complete=complete
        )

    return run


@pytest.fixture
def web(personas, settings):
    """A signed-in client per user (MFA off for page tests): ``web(personas.navigator_a)``."""
    from django.test import Client

    settings.WAYFINDER_REQUIRE_MFA = False

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def share_with_lawyer(personas):
    """``share_with_lawyer(categories)``: lawyer_b joins the care team and the survivor consents
    to Justice Bridge seeing those categories (through the real consent and people actions)."""
    from datetime import timedelta

    from django.utils import timezone

    from wayfinder.consent.actions import ConsentRequest, Signature, create_consent
    from wayfinder.people.actions import add_care_team_member

    def share(categories):
        lead = personas.actor(personas.navigator_a)
        add_care_team_member(
            personas.survivor, actor=lead, user=personas.lawyer_b, agency=personas.legal
        )
        return create_consent(
            personas.survivor,
            ConsentRequest(
                recipient_agency=personas.legal,
                purposes=["care_coordination"],
                categories=list(categories),
                expires_at=timezone.now() + timedelta(days=90),
                method="electronic_signature",
                signature=Signature(kind="typed", typed_name="Ana Rivera"),
                explained_not_a_condition=True,
            ),
            actor=lead,
        )

    return share
