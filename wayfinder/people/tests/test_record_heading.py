"""The record's heading: the person's name where the viewer may see it, the code otherwise."""

import re

from django.test import Client

from wayfinder.consent.tests.factories import consent
from wayfinder.people.actions import add_care_team_member


def _heading(user, person, settings):
    settings.WAYFINDER_REQUIRE_MFA = False
    client = Client()
    client.force_login(user)
    body = client.get(f"/people/{person.pk}/").content.decode()
    return re.search(r"<h1>(.*?)</h1>", body, re.S).group(1), re.search(
        r"<title>(.*?)</title>", body, re.S
    ).group(1)


def test_the_owning_agency_sees_the_name_and_the_code(personas, settings):
    h1, title = _heading(personas.navigator_a, personas.survivor, settings)
    assert "Ana Rivera" in h1 and personas.survivor.pseudonym in h1
    assert "Ana" not in title  # no personal data in page titles


def test_a_partner_without_identity_sees_only_the_code(personas, settings):
    actor = personas.actor(personas.navigator_a)
    add_care_team_member(
        personas.survivor, actor=actor, user=personas.lawyer_b, agency=personas.legal
    )
    consent(personas, personas.legal, ["legal"])
    h1, _title = _heading(personas.lawyer_b, personas.survivor, settings)
    assert h1.strip() == personas.survivor.pseudonym and "Ana" not in h1


def test_a_partner_with_identity_sees_the_name(personas, settings):
    actor = personas.actor(personas.navigator_a)
    add_care_team_member(
        personas.survivor, actor=actor, user=personas.lawyer_b, agency=personas.legal
    )
    consent(personas, personas.legal, ["identity", "legal"])
    h1, _title = _heading(personas.lawyer_b, personas.survivor, settings)
    assert "Ana Rivera" in h1
