"""Small factories over the real actions, for the consent and plan tests."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from wayfinder.consent.actions import ConsentRequest, Signature, create_consent
from wayfinder.consent.models import Consent
from wayfinder.people.actions import add_care_team_member

PNG_1PX = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def on_team(personas, user, agency, person=None):
    """Put a partner's staff member on the survivor's care team (as the lead navigator)."""
    return add_care_team_member(
        person or personas.survivor,
        actor=personas.actor(personas.navigator_a),
        user=user,
        agency=agency,
    )


def consent(
    personas, agency, categories, *, person=None, days=90, purposes=("care_coordination",), **extra
) -> Consent:
    """A typed e-signature consent by the survivor, recorded by ``navigator_a``."""
    kwargs = {
        "recipient_agency": agency,
        "purposes": list(purposes),
        "categories": list(categories),
        "expires_at": timezone.now() + timedelta(days=days),
        "method": "electronic_signature",
        "signature": Signature(kind="typed", typed_name="Ana Rivera"),
        "explained_not_a_condition": True,
    }
    kwargs.update(extra)
    return create_consent(
        person or personas.survivor,
        ConsentRequest(**kwargs),
        actor=personas.actor(personas.navigator_a),
    )
