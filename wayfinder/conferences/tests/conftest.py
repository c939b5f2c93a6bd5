from datetime import UTC, datetime

import pytest

from wayfinder.conferences import actions


@pytest.fixture
def series(personas, nav):
    """Harbor Light's weekly case review, with legal aid and housing as standing attendees."""
    return actions.create_series(
        actor=nav,
        name="Weekly case review",
        type="case_review",
        rrule="FREQ=WEEKLY;BYDAY=TU",
        starts_at=datetime(2030, 1, 1, 15, 0, tzinfo=UTC),
        place="Room 2",
        attendees=[personas.lawyer_b, personas.outsider_c],
    )


@pytest.fixture
def meeting(series, nav):
    return actions.schedule_next_meeting(series, actor=nav)


@pytest.fixture
def item(meeting, personas, nav):
    return actions.add_item(
        meeting,
        actor=nav,
        person=personas.survivor,
        presenter=personas.navigator_a,
        reasons=[{"code": "steps_overdue", "category": "plan", "count": 2}],
    )


@pytest.fixture
def conf_consent(personas):
    """The survivor consents to legal aid discussing identity and plan at case conferences."""
    from wayfinder.consent.tests.factories import consent

    def make(categories=("identity", "plan"), agency=None):
        return consent(
            personas, agency or personas.legal, list(categories), purposes=("case_conferencing",)
        )

    return make
