"""The gate: owning agency sees all; outsiders, analysts and non-casework roles see nothing."""

import pytest
from django.http import Http404

from wayfinder.access.gate import get_access, persons_for
from wayfinder.core.categories import ALL_CATEGORIES
from wayfinder.people.actions import add_care_team_member


def test_owning_agency_navigator_sees_everything(personas):
    access = get_access(personas.actor(personas.navigator_a), personas.survivor.pk)
    assert access.is_owner and access.categories == ALL_CATEGORIES
    assert list(persons_for(personas.actor(personas.navigator_a))) == [personas.survivor]


@pytest.mark.parametrize("who", ["outsider_c", "lawyer_b", "analyst", "network_admin"])
def test_everyone_else_gets_404(personas, who):
    actor = personas.actor(getattr(personas, who))
    with pytest.raises(Http404):
        get_access(actor, personas.survivor.pk)
    assert not persons_for(actor).exists()


def test_care_team_place_without_consent_is_not_enough(personas):
    add_care_team_member(
        personas.survivor,
        actor=personas.actor(personas.navigator_a),
        user=personas.lawyer_b,
        agency=personas.legal,
    )
    with pytest.raises(Http404):
        get_access(personas.actor(personas.lawyer_b), personas.survivor.pk)


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", ""])
def test_unknown_or_malformed_ids_are_404(personas, bad_id):
    with pytest.raises(Http404):
        get_access(personas.actor(personas.navigator_a), bad_id)
