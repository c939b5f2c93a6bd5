"""Consent counts only between valid_from and expires_at: checked at every read (time-machine)."""

from datetime import timedelta

import pytest
import time_machine
from django.http import Http404
from django.utils import timezone

from wayfinder.access.gate import AccessEnded, get_access
from wayfinder.consent.tests.factories import consent


def test_expiry_cuts_access_at_the_exact_moment(personas, lawyer_on_team, web):
    c = consent(personas, personas.legal, ["identity", "legal"], days=30)
    lawyer = personas.actor(personas.lawyer_b)
    with time_machine.travel(c.expires_at - timedelta(seconds=1), tick=False):
        assert get_access(lawyer, personas.survivor.pk).categories == {"identity", "legal"}
    with time_machine.travel(c.expires_at, tick=False):
        with pytest.raises(AccessEnded) as ended:
            get_access(lawyer, personas.survivor.pk)
        assert ended.value.reason == "expired" and ended.value.ended_at == c.expires_at
        response = web(personas.lawyer_b).get(f"/people/{personas.survivor.pk}/")
        assert response.status_code == 410
        assert "because the consent expired" in response.content.decode()


def test_a_consent_starting_later_gives_nothing_yet(personas, lawyer_on_team):
    start = timezone.now() + timedelta(days=2)
    consent(
        personas,
        personas.legal,
        ["identity"],
        valid_from=start,
        expires_at=start + timedelta(days=30),
    )
    lawyer = personas.actor(personas.lawyer_b)
    with pytest.raises(Http404) as refused:
        get_access(lawyer, personas.survivor.pk)
    assert not isinstance(refused.value, AccessEnded)  # nothing ended: there is nothing to say
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        assert get_access(lawyer, personas.survivor.pk).categories == {"identity"}


def test_a_new_consent_restores_access_after_expiry(personas, lawyer_on_team):
    old = consent(personas, personas.legal, ["identity"], days=10)
    with time_machine.travel(old.expires_at + timedelta(days=1), tick=False):
        consent(personas, personas.legal, ["legal"], days=10)
        assert get_access(personas.actor(personas.lawyer_b), personas.survivor.pk).categories == {
            "legal"
        }
