"""Substance use information (42 CFR Part 2): only under a consent that names it with every §2.31
element, never by a broad grant, and always with the §2.32 notice."""

import pytest
from django.core.exceptions import ValidationError

from wayfinder.access.gate import get_access
from wayfinder.audit.models import AuditEvent
from wayfinder.consent.actions import BROAD, Signature
from wayfinder.consent.grants import may_disclose
from wayfinder.consent.models import Consent
from wayfinder.consent.part2 import REDISCLOSURE_STATEMENT
from wayfinder.consent.queries import disclosable_payload
from wayfinder.consent.tests.factories import consent
from wayfinder.core.categories import Category

PART2 = {
    "substance_use_description": "Dates of treatment and attendance at New Dawn.",
    "part2_revocation_explained": True,
}


def test_a_broad_grant_never_includes_substance_use(personas, lawyer_on_team):
    c = consent(personas, personas.legal, [BROAD])
    assert Category.SUBSTANCE_USE not in c.categories
    assert set(c.categories) == set(Category.values) - {Category.SUBSTANCE_USE}
    access = get_access(personas.actor(personas.lawyer_b), personas.survivor.pk)
    assert not access.can(Category.SUBSTANCE_USE)
    assert (
        may_disclose(personas.survivor, personas.legal, "substance_use", "care_coordination")
        is None
    )


@pytest.mark.parametrize(
    ("extra", "field", "code"),
    [
        (
            {"part2_revocation_explained": True},
            "substance_use_description",
            "part2_description_required",
        ),
        (
            {"substance_use_description": "Treatment dates"},
            "part2_revocation_explained",
            "part2_revocation_required",
        ),
        (
            {
                **PART2,
                "method": "verbal_witnessed",
                "signature": Signature(kind="witnessed", witness_name="Grace"),
            },
            "method",
            "part2_needs_signature",
        ),
    ],
)
def test_naming_substance_use_needs_every_2_31_element(personas, extra, field, code):
    with pytest.raises(ValidationError) as err:
        consent(personas, personas.legal, ["identity", "substance_use"], **extra)
    assert code in [e.code for e in err.value.error_dict[field]]


def test_a_consent_that_names_it_properly_shares_it(personas, lawyer_on_team):
    c = consent(personas, personas.legal, ["identity", "substance_use"], **PART2)
    assert c.part2
    access = get_access(personas.actor(personas.lawyer_b), personas.survivor.pk)
    assert access.can("substance_use")


def test_a_row_marked_substance_use_without_part2_elements_grants_nothing_of_it(
    personas, lawyer_on_team
):
    """Defence in depth: even a row written outside the action cannot leak Part 2 data."""
    c = consent(personas, personas.legal, ["identity"])
    Consent.objects.filter(pk=c.pk).update(categories=["identity", "substance_use"])
    access = get_access(personas.actor(personas.lawyer_b), personas.survivor.pk)
    assert access.categories == {"identity"}


def test_the_payload_carries_the_redisclosure_notice_only_with_substance_use(personas):
    navigator = personas.actor(personas.navigator_a)
    consent(personas, personas.legal, ["identity"])
    plain = disclosable_payload(
        personas.survivor, personas.legal, "care_coordination", actor=navigator
    )
    assert plain["notices"] == []
    consent(personas, personas.legal, ["substance_use"], **PART2)
    payload = disclosable_payload(
        personas.survivor, personas.legal, "care_coordination", actor=navigator
    )
    assert [n["statement"] for n in payload["notices"]] == [REDISCLOSURE_STATEMENT]
    event = AuditEvent.objects.filter(action="consent.disclose").latest("seq")
    assert "substance_use" in event.categories
