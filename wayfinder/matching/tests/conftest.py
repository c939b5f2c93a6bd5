import pytest

from wayfinder.assessments.actions import add_need


@pytest.fixture
def housing_need(personas):
    """An open housing need of the survivor (Spanish, then English; a woman; ZIP 60601)."""
    return add_need(
        personas.survivor,
        actor=personas.actor(personas.navigator_a),
        category="housing",
        urgency="high",
    )
