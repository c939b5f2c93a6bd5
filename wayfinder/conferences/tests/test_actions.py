from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import PermissionDenied

from wayfinder.audit.models import AuditEvent
from wayfinder.conferences import actions
from wayfinder.conferences.models import MeetingStatus
from wayfinder.core.errors import CodedError

pytestmark = pytest.mark.django_db


def test_meetings_follow_the_rrule(series, nav):
    first = actions.schedule_next_meeting(series, actor=nav)
    second = actions.schedule_next_meeting(series, actor=nav)
    # 2030-01-01 is a Tuesday; weekly on Tuesdays.
    assert first.starts_at == datetime(2030, 1, 1, 15, 0, tzinfo=UTC)
    assert second.starts_at == datetime(2030, 1, 8, 15, 0, tzinfo=UTC)
    assert (first.ends_at - first.starts_at).total_seconds() == 3600


@pytest.mark.parametrize("rule", ["", "FREQ=SOMETIMES", "BYDAY=XX;FREQ=WEEKLY", "not a rule"])
def test_a_bad_rrule_is_a_coded_error(nav, rule):
    with pytest.raises(CodedError) as e:
        actions.create_series(
            actor=nav,
            name="x",
            type="case_review",
            rrule=rule,
            starts_at=datetime(2030, 1, 1, tzinfo=UTC),
            place="Room",
        )
    assert e.value.code == "rrule_invalid"


def test_only_the_chair_agency_runs_the_meeting(meeting, personas):
    with pytest.raises(PermissionDenied):
        actions.schedule_next_meeting(meeting.series, actor=personas.actor(personas.lawyer_b))


def test_minutes_are_sealed(item, nav):
    actions.record_minutes(item, actor=nav, text="Housing is urgent")
    item.refresh_from_db()
    assert b"Housing" not in bytes(item.minutes_ct)
    view = actions.open_item(item, actor=nav)
    assert actions.minutes_for(view) == "Housing is urgent"


def test_close_needs_every_outcome(meeting, item, nav, personas):
    action = actions.add_action_item(
        item,
        actor=nav,
        text="Call the landlord",
        due_on=date(2030, 1, 5),
        owner_agency=personas.housing,
    )
    assert actions.action_text(action) == "Call the landlord"
    with pytest.raises(CodedError) as e:
        actions.close_meeting(meeting, actor=nav)
    assert e.value.code == "outcomes_missing"
    actions.set_outcome(item, actor=nav, outcome="discussed")
    assert actions.close_meeting(meeting, actor=nav).status == MeetingStatus.CLOSED
    with pytest.raises(CodedError):
        actions.set_outcome(item, actor=nav, outcome="deferred")
    assert AuditEvent.objects.filter(action="conference.meeting_close").count() == 1


def test_action_item_needs_an_owner(item, nav):
    with pytest.raises(CodedError) as e:
        actions.add_action_item(item, actor=nav, text="x", due_on=date(2030, 1, 5))
    assert e.value.code == "owner_required"


def test_action_item_link_must_be_the_persons(item, nav, personas):
    import uuid

    with pytest.raises(CodedError) as e:
        actions.add_action_item(
            item,
            actor=nav,
            text="x",
            due_on=date(2030, 1, 5),
            owner_user=personas.navigator_a,
            goal_id=uuid.uuid4(),
        )
    assert e.value.code == "link_unknown"


def test_the_next_meeting_carries_deferred_items_and_opens_with_open_actions(
    web, meeting, item, nav, personas
):
    from wayfinder.conferences import queries

    actions.set_exclusions(item, actor=nav, categories=["plan"])
    actions.add_action_item(
        item, actor=nav, text="Call", due_on=date(2030, 1, 5), owner_agency=personas.housing
    )
    actions.set_outcome(item, actor=nav, outcome="deferred")
    actions.close_meeting(meeting, actor=nav)
    nxt = actions.schedule_next_meeting(meeting.series, actor=nav)
    carried = nxt.items.get()
    assert carried.person == personas.survivor and carried.excluded_categories == ["plan"]
    assert carried.reasons[-1]["code"] == "deferred"
    assert [a.pk for a in queries.open_actions_of(queries.previous_meeting(nxt))] == [
        item.actions.get().pk
    ]
    html = web(personas.lawyer_b).get(f"/conferences/m/{nxt.pk}/").content.decode()
    assert "Open action items from the last meeting" in html
    assert personas.housing.name in html and "Ana Rivera" not in html


def test_a_discussed_item_does_not_carry_over(meeting, item, nav):
    actions.set_outcome(item, actor=nav, outcome="discussed")
    nxt = actions.schedule_next_meeting(meeting.series, actor=nav)
    assert not nxt.items.exists()
