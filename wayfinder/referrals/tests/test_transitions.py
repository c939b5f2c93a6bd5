"""The workflow: the SDOHCC Task statuses, coded errors, reasons and outcomes, both sides."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wayfinder.audit.models import AuditEvent
from wayfinder.referrals import actions
from wayfinder.referrals.fhir import REFERRAL_TASK_STATUS
from wayfinder.referrals.models import TRANSITIONS, Notification, Status


def _code(exc_info) -> str:
    exc = exc_info.value
    if hasattr(exc, "error_dict"):
        return next(iter(exc.error_dict.values()))[0].code
    return exc.code


def test_statuses_are_the_sdohcc_referral_task_value_set():
    assert set(Status.values) == REFERRAL_TASK_STATUS
    assert "received" not in Status.values and "ready" not in Status.values


def test_the_whole_loop_with_actor_and_time_on_every_step(personas, referral, nav, lawyer):
    r = actions.accept_referral(referral, actor=lawyer)
    assert r.status == Status.ACCEPTED and r.acknowledged_at is not None
    r = actions.start_referral(r, actor=lawyer)
    r = actions.hold_referral(r, actor=lawyer, reason="unable_to_contact")
    assert r.status == Status.ON_HOLD and r.reason == "unable_to_contact"
    r = actions.resume_referral(r, actor=lawyer)
    r = actions.complete_referral(r, actor=lawyer, outcome="service_provided", note="Claim filed")
    assert r.status == Status.COMPLETED and r.outcome == "service_provided" and r.closed_at
    steps = [
        (e.from_status, e.to_status, e.actor_id)
        for e in r.events.filter(kind="transition").order_by("created_at", "pk")
    ]
    assert steps == [
        ("draft", "requested", personas.navigator_a.pk),
        ("requested", "accepted", personas.lawyer_b.pk),
        ("accepted", "in-progress", personas.lawyer_b.pk),
        ("in-progress", "on-hold", personas.lawyer_b.pk),
        ("on-hold", "in-progress", personas.lawyer_b.pk),
        ("in-progress", "completed", personas.lawyer_b.pk),
    ]
    actions_done = list(
        AuditEvent.objects.filter(category="referrals", action__startswith="referral.")
        .exclude(action="referral.create")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions_done == [
        "referral.accept", "referral.start", "referral.hold", "referral.resume", "referral.complete",
    ]  # fmt: skip
    complete = AuditEvent.objects.get(action="referral.complete")
    assert complete.actor_id == personas.lawyer_b.pk and complete.agency_id == personas.legal.pk
    assert complete.detail["outcome"] == "service_provided" and complete.detail["note"] is True
    assert "Claim" not in str(complete.detail)
    # The referring navigator heard about every step the partner took.
    assert Notification.objects.filter(recipient_user=personas.navigator_a).count() == 5


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("start", {}),
        ("complete", {"outcome": "service_provided"}),
        ("resume", {}),
        ("submit", {}),
    ],
)
def test_illegal_transitions_are_coded(referral, nav, lawyer, name, kwargs):
    actor = nav if TRANSITIONS[name].side == "sender" else lawyer
    with pytest.raises(ValidationError) as exc:
        actions.transition(referral, name, actor=actor, **kwargs)
    assert _code(exc) == "illegal_transition"
    referral.refresh_from_db()
    assert referral.status == Status.REQUESTED and referral.version == 1


def test_reasons_and_outcomes_are_required(referral, nav, lawyer):
    with pytest.raises(ValidationError) as exc:
        actions.transition(referral, "reject", actor=lawyer)
    assert _code(exc) == "reason_required"
    with pytest.raises(ValidationError) as exc:
        actions.reject_referral(referral, actor=lawyer, reason="other")
    assert _code(exc) == "note_required"
    with pytest.raises(ValidationError) as exc:
        actions.transition(referral, "cancel", actor=nav)
    assert _code(exc) == "reason_required"
    r = actions.accept_referral(referral, actor=lawyer)
    r = actions.start_referral(r, actor=lawyer)
    with pytest.raises(ValidationError) as exc:
        actions.transition(r, "complete", actor=lawyer)
    assert _code(exc) == "outcome_required"
    with pytest.raises(ValidationError) as exc:
        actions.transition(r, "fail", actor=lawyer)
    assert _code(exc) == "reason_required"
    r = actions.fail_referral(r, actor=lawyer, reason="person_declined")
    assert r.status == Status.FAILED and r.reason == "person_declined"


def test_decline_and_cancel_record_their_reasons(referral, nav, lawyer, personas):
    r = actions.reject_referral(referral, actor=lawyer, reason="no_capacity", note="Full")
    assert r.status == Status.REJECTED and r.reason == "no_capacity" and r.acknowledged_at
    assert AuditEvent.objects.get(action="referral.reject").detail["reason"] == "no_capacity"
    with pytest.raises(ValidationError) as exc:
        actions.cancel_referral(r, actor=nav, reason="no_longer_needed")
    assert _code(exc) == "illegal_transition"
    r = actions.transition(r, "mark_error", actor=nav, reason="sent_in_error")
    assert r.status == Status.ENTERED_IN_ERROR


def test_a_stale_copy_gets_a_conflict(referral, nav, lawyer):
    stale = type(referral).objects.get(pk=referral.pk)
    actions.accept_referral(referral, actor=lawyer)
    with pytest.raises(ValidationError) as exc:
        actions.reject_referral(stale, actor=lawyer, reason="no_capacity")
    assert _code(exc) == "conflict"
    with pytest.raises(ValidationError) as exc:
        actions.start_referral(stale, actor=lawyer, expected_version=1)
    assert _code(exc) == "conflict"
    # With the version it really saw, the same caller goes ahead.
    assert actions.start_referral(stale, actor=lawyer, expected_version=2).status == "in-progress"


def test_each_side_makes_only_its_own_moves(referral, nav, lawyer, outsider):
    with pytest.raises(PermissionDenied):
        actions.accept_referral(referral, actor=nav)  # the sender cannot accept for the partner
    with pytest.raises(PermissionDenied):
        actions.cancel_referral(referral, actor=lawyer, reason="other", note="x")
    for name in ("accept", "cancel"):
        with pytest.raises(PermissionDenied):
            actions.transition(referral, name, actor=outsider, reason="no_capacity")


def test_for_a_packet_the_sender_records_the_answer(personas, nav):
    from wayfinder.referrals.tests.factories import listing

    pantry = listing("org-pantry", "Pilsen Pantry", ["basic_needs"])
    r = actions.create_referral(
        personas.survivor, actions.ReferralRequest(service=pantry), actor=nav
    )
    r = actions.accept_referral(r, actor=nav)
    event = r.events.get(to_status="accepted")
    assert event.on_behalf is True and event.actor_id == personas.navigator_a.pk


def test_updates_reset_the_clock_and_only_open_referrals_take_them(referral, nav, lawyer):
    r = actions.add_update(referral, actor=lawyer, note="First meeting booked")
    assert r.version == 2 and r.last_activity_at >= referral.last_activity_at
    r = actions.reject_referral(type(r).objects.get(pk=r.pk), actor=lawyer, reason="not_eligible")
    with pytest.raises(ValidationError) as exc:
        actions.add_update(r, actor=nav, note="Anything?")
    assert _code(exc) == "illegal_transition"


def test_the_partners_first_opening_is_an_event_not_a_status(referral, lawyer, nav):
    assert actions.record_opened(referral, actor=nav) is False  # the sender does not count
    assert actions.record_opened(referral, actor=lawyer) is True
    referral.refresh_from_db()
    assert referral.first_opened_at is not None and referral.status == Status.REQUESTED
    assert actions.record_opened(referral, actor=lawyer) is False
    assert referral.events.filter(kind="opened").count() == 1
    assert AuditEvent.objects.filter(action="referral.open").count() == 1
