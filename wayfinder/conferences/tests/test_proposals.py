"""The self-building agenda: reasons from the data, in a bounded number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from wayfinder.accounts.actor import actor_for
from wayfinder.conferences import actions, proposals, reasons
from wayfinder.core.testing import prepared_statements
from wayfinder.people.actions import create_person
from wayfinder.people.models import Identity, Person
from wayfinder.plans import actions as plans
from wayfinder.plans.models import Step

pytestmark = pytest.mark.django_db


def overdue_step(person, nav):
    goal = plans.add_goal(person, actor=nav, text="A home", domain="housing")
    step = plans.add_step(goal, actor=nav, text="Visit", assignee="person")
    # Time passes: the step's due date is now behind us (the action refuses a past date).
    Step.objects.filter(pk=step.pk).update(due_on=timezone.localdate() - timedelta(days=3))
    return step


def more_persons(personas, n):
    nav = actor_for(personas.navigator_a, personas.lead, ip="127.0.0.1")
    return [
        create_person(actor=nav, identity=Identity(chosen_name=f"Test {i}"), birth_year=1990)
        for i in range(n)
    ]


def test_overdue_steps_and_expiring_consent_are_reasons(meeting, personas, nav, conf_consent):
    overdue_step(personas.survivor, nav)
    overdue_step(personas.survivor, nav)
    conf_consent(("identity",))  # 90 days: not expiring
    from wayfinder.consent.tests.factories import consent

    consent(personas, personas.housing, ["identity"], days=10)
    [p] = proposals.propose(meeting)
    assert p.person == personas.survivor
    codes = {r["code"]: r["count"] for r in p.reasons}
    assert codes == {"steps_overdue": 2, "consent_expiring": 1}
    with translation.override("en"):  # whatever an earlier test left active
        lines = reasons.explain(p.reasons, {"plan", "identity"})
    assert lines == ["2 plan steps are overdue", "1 consent expires within 14 days"]


def test_a_person_already_on_the_agenda_is_not_proposed(meeting, personas, nav):
    overdue_step(personas.survivor, nav)
    actions.add_item(meeting, actor=nav, person=personas.survivor)
    assert proposals.propose(meeting) == []


def test_nothing_due_nothing_proposed(meeting):
    assert proposals.propose(meeting) == []


def test_overdue_action_items_are_a_reason(meeting, item, personas, nav):
    actions.add_action_item(
        item, actor=nav, text="Call", due_on=timezone.localdate(), owner_user=personas.navigator_a
    )
    item.actions.update(due_on=timezone.localdate() - timedelta(days=1))
    nxt = actions.schedule_next_meeting(meeting.series, actor=nav)
    [p] = proposals.propose(nxt)
    assert [r["code"] for r in p.reasons] == ["actions_overdue"]


def test_the_query_count_does_not_grow_with_the_caseload(meeting, personas, nav):
    overdue_step(personas.survivor, nav)
    with CaptureQueriesContext(connection) as small:
        assert len(proposals.propose(meeting)) == 1
    for person in more_persons(personas, 10):
        overdue_step(person, nav)
    with CaptureQueriesContext(connection) as large:
        assert len(proposals.propose(meeting)) == 11
    assert len(small) == len(large) == proposals.QUERIES


def test_the_chair_accepts_a_proposal_on_the_meeting_page(web, meeting, personas, nav):
    overdue_step(personas.survivor, nav)
    client = web(personas.navigator_a)
    html = client.get(f"/conferences/m/{meeting.pk}/").content.decode()
    assert "1 plan step is overdue" in html and "Ana Rivera" not in html
    r = client.post(f"/conferences/m/{meeting.pk}/proposals/", {"person": personas.survivor.pk})
    assert r.status_code == 302
    item = meeting.items.get()
    assert item.reasons == [{"code": "steps_overdue", "category": "plan", "count": 1}]
    assert (
        "No one needs the team right now."
        in client.get(f"/conferences/m/{meeting.pk}/").content.decode()
    )


def test_an_attendee_who_does_not_chair_cannot_accept(web, meeting, personas, nav):
    overdue_step(personas.survivor, nav)
    r = web(personas.lawyer_b).post(
        f"/conferences/m/{meeting.pk}/proposals/", {"person": personas.survivor.pk}
    )
    assert r.status_code == 404 and not meeting.items.exists()


def bulk_caseload(personas, n):
    """``n`` persons of the lead agency in one insert, with the bench's open work on them."""
    from bench.conferences import open_work
    from wayfinder.people.models import Person

    persons = Person.objects.bulk_create(
        [
            Person(owner_agency=personas.lead, created_by=personas.navigator_a, birth_year=1990)
            for _ in range(n)
        ],
        batch_size=500,
    )
    ids = [p.pk for p in persons]
    return open_work(ids, agency=personas.lead, partner=personas.legal, user=personas.navigator_a)


def test_the_query_count_is_the_same_at_10_and_1000_persons(meeting, personas, nav):
    """Built in bulk (bench/conferences.py): 10 persons, then 990 more, with realistic open work."""
    overdue_step(personas.survivor, nav)
    counts = {}
    for n in (10, 990):
        bulk_caseload(personas, n)
        with CaptureQueriesContext(connection) as captured:
            found = proposals.propose(meeting)
        counts[n] = (len(captured), found)
    (small, few), (large, many) = counts[10], counts[990]
    assert len(many) > 50 > len(few) >= 1  # the larger caseload brings many more to propose
    codes = {r["code"] for p in many for r in p.reasons}
    assert codes == {"steps_overdue", "referral_unanswered", "consent_expiring"}
    assert small == large == proposals.QUERIES


def test_the_meeting_page_lists_the_first_proposals_and_counts_the_rest(
    web, meeting, personas, nav
):
    from wayfinder.conferences.views import PROPOSALS_SHOWN

    bulk_caseload(personas, 600)
    found = proposals.propose(meeting)
    assert len(found) > PROPOSALS_SHOWN
    html = web(personas.navigator_a).get(f"/conferences/m/{meeting.pk}/").content.decode()
    assert html.count('name="person"') == PROPOSALS_SHOWN
    assert found[0].person.pseudonym in html and found[-1].person.pseudonym not in html
    assert f"{len(found) - PROPOSALS_SHOWN} more people are proposed" in html


# --- reasons from assessments and the safety level ---

BRS = [f"brs_{i}" for i in range(1, 7)]


def brs(person, nav, value_pos: int, on):
    """A completed Brief Resilience Scale: agreeing ``value_pos`` (1-5) with the positive items."""
    from wayfinder.assessments.testing import run_session

    answers = {i: (value_pos if int(i[-1]) % 2 else 6 - value_pos) for i in BRS}
    return run_session(person, nav, "brief_resilience_scale", answers, on=on)


def test_urgent_needs_from_a_new_assessment_are_a_reason(meeting, personas, nav):
    from wayfinder.assessments.testing import run_session

    run_session(personas.survivor, nav, "needs_assessment", {"safe_now": "no"})
    [p] = proposals.propose(meeting)
    # "Not safe where I stay" is an immediate need and a safety trigger: two reasons.
    assert {r["code"]: r["count"] for r in p.reasons} == {"needs_urgent": 1, "safety_changed": 1}
    with translation.override("en"):
        assert reasons.explain(p.reasons, {"needs"}) == ["A new assessment found 1 urgent need"]
        assert reasons.explain(p.reasons, {"plan"}) == []  # the category cuts the line


def test_a_need_older_than_the_window_is_not_new(meeting, personas, nav):
    from wayfinder.assessments.models import Need, SafetyFlag
    from wayfinder.assessments.testing import run_session

    run_session(personas.survivor, nav, "needs_assessment", {"safe_now": "no"})
    Need.objects.update(created_at=timezone.now() - timedelta(days=40))
    SafetyFlag.objects.update(raised_at=timezone.now() - timedelta(days=40))
    assert proposals.propose(meeting) == []


def test_resilience_dropped_between_the_two_latest_sessions(meeting, personas, nav):
    today = timezone.localdate()
    brs(personas.survivor, nav, 2, today - timedelta(days=300))  # low long ago
    brs(personas.survivor, nav, 5, today - timedelta(days=60))  # then high
    assert proposals.propose(meeting) == []  # rising is no reason
    brs(personas.survivor, nav, 3, today - timedelta(days=1))  # now lower than the one before
    [p] = proposals.propose(meeting)
    assert [r["code"] for r in p.reasons] == ["resilience_dropped"]
    with translation.override("en"):
        assert reasons.explain(p.reasons, {"assessments"}) == [
            "Resilience dropped since the previous assessment"
        ]


def test_protective_factors_dropped(meeting, personas, nav):
    from wayfinder.assessments.testing import run_session

    items = [
        "substance_treatment",
        "role_models",
        "community_engagement",
        "housing_income",
        "skills_training",
        "awareness",
    ]
    today = timezone.localdate()
    run_session(
        personas.survivor,
        nav,
        "protective_factors",
        dict.fromkeys(items, "present"),
        on=today - timedelta(days=90),
    )
    run_session(
        personas.survivor,
        nav,
        "protective_factors",
        dict.fromkeys(items, "partly"),
        on=today - timedelta(days=2),
    )
    [p] = proposals.propose(meeting)
    assert "protective_dropped" in [r["code"] for r in p.reasons]


def test_an_open_safety_flag_since_the_last_meeting_is_a_reason(meeting, personas, nav):
    from wayfinder.assessments.models import SafetyFlag

    SafetyFlag.objects.create(
        person=personas.survivor, kind="danger_now", raised_at=timezone.now() - timedelta(days=40)
    )
    assert proposals.propose(meeting) == []  # before the window: not a change
    flag = SafetyFlag.objects.create(
        person=personas.survivor, kind="danger_now", raised_at=timezone.now()
    )
    [p] = proposals.propose(meeting)
    assert p.reasons == [{"code": "safety_changed", "category": "trafficking", "count": 1}]
    with translation.override("en"):
        assert reasons.explain(p.reasons, {"trafficking"}) == [
            "The safety level changed: 1 safety concern raised since the last meeting"
        ]
    SafetyFlag.objects.filter(pk=flag.pk).update(responded_at=timezone.now())
    assert proposals.propose(meeting) == []  # responded to: no longer open


def test_new_reasons_keep_the_query_count_at_10_and_100_persons(meeting, personas, nav):
    from wayfinder.assessments.models import SafetyFlag

    def load(persons):
        for person in persons:
            overdue_step(person, nav)
            SafetyFlag.objects.create(person=person, kind="danger_now", raised_at=timezone.now())

    load(more_persons(personas, 10))
    with CaptureQueriesContext(connection) as small:
        assert len(proposals.propose(meeting)) == 10
    load(more_persons(personas, 90))
    with CaptureQueriesContext(connection) as large:
        assert len(proposals.propose(meeting)) == 100
    assert len(small) == len(large) == proposals.QUERIES


def test_since_the_last_meeting_of_the_series(personas, nav):
    """A safety flag counts for the meeting after it was raised, not for later ones."""
    from datetime import datetime, time

    from wayfinder.assessments.models import SafetyFlag

    start = datetime.combine(timezone.localdate() - timedelta(days=20), time(15, 0))
    series = actions.create_series(
        actor=nav,
        name="Weekly huddle",
        type="case_review",
        rrule="FREQ=WEEKLY",
        starts_at=timezone.make_aware(start),
        place="Room 1",
    )
    first = actions.schedule_next_meeting(series, actor=nav)  # 20 days ago
    second = actions.schedule_next_meeting(series, actor=nav)  # 13 days ago
    third = actions.schedule_next_meeting(series, actor=nav)  # 6 days ago
    SafetyFlag.objects.create(
        person=personas.survivor,
        kind="trafficker_nearby",
        raised_at=first.starts_at + timedelta(days=4),
    )
    assert [p.person for p in proposals.propose(second)] == [personas.survivor]
    assert proposals.propose(third) == []


# --- the chair's page reads only the proposals it shows; "Add" computes one person's ---


def test_the_first_proposals_and_the_count_are_those_of_the_whole_agenda(meeting, personas, nav):
    """``proposed(first=k)`` reads only k persons, yet gives ``propose()[:k]`` and its length,
    wherever k falls among persons with as many reasons as each other (most have one)."""
    bulk_caseload(personas, 300)
    actions.add_item(  # someone already on the agenda is neither shown nor counted
        meeting,
        actor=nav,
        person=proposals.propose(meeting)[3].person,
        presenter=personas.navigator_a,
        reasons=[],
    )
    every = proposals.propose(meeting)
    totals = [sum(r["count"] for r in p.reasons) for p in every]
    assert len(set(totals)) > 1 and totals.count(totals[-1]) > 1  # ties, and more than one total
    edges = {0, 1, 2, totals.index(totals[-1]), len(every) - 1, len(every), len(every) + 3}
    for k in sorted(edges):
        first, total = proposals.proposed(meeting, first=k)
        assert first == every[:k], k
        assert total == len(every), k
    with CaptureQueriesContext(connection) as captured:
        proposals.proposed(meeting, first=40)
    assert len(captured) <= proposals.QUERIES + 1  # the tie's earliest codes: one more read


def test_add_to_the_agenda_computes_the_one_persons_reasons(meeting, personas, nav):
    bulk_caseload(personas, 120)
    every = proposals.propose(meeting)
    for p in every[:15] + every[-15:]:
        assert proposals.proposal_for(meeting, p.person.pk) == p
    proposed_ids = {p.person.pk for p in every}
    nobody = next(
        pk for pk in Person.objects.values_list("pk", flat=True) if pk not in proposed_ids
    )
    assert proposals.proposal_for(meeting, nobody) is None  # nothing is due for them
    with CaptureQueriesContext(connection) as captured:
        proposals.proposal_for(meeting, every[0].person.pk)
    assert len(captured) <= proposals.QUERIES + 1  # the counts, for one person
    actions.add_item(
        meeting,
        actor=nav,
        person=every[0].person,
        presenter=personas.navigator_a,
        reasons=every[0].reasons,
    )
    assert proposals.proposal_for(meeting, every[0].person.pk) is None  # already on it


def test_a_person_id_that_is_not_one_is_not_found(web, meeting, personas, nav):
    overdue_step(personas.survivor, nav)
    client = web(personas.navigator_a)
    for wanted in ("", "not-a-uuid", "1' OR 1=1", str(personas.navigator_a.pk)):
        r = client.post(f"/conferences/m/{meeting.pk}/proposals/", {"person": wanted})
        assert r.status_code == 404, wanted
    assert not meeting.items.exists()


def reference_drops(caseload: dict) -> dict[str, dict]:
    """The reading ``_drops`` had before the database paired the scores: every score in order."""
    from wayfinder.assessments.models import Score, SessionStatus

    rows = (
        Score.objects.filter(
            session__status=SessionStatus.COMPLETED,
            session__kind__in=list(proposals.DROP_SCORES),
            score_id__in=list(proposals.DROP_SCORES.values()),
            value__isnull=False,
            **{f"session__{k}": v for k, v in caseload.items()},
        )
        .order_by("-session__conducted_on", "-session__completed_at", "-session__created_at")
        .values_list("session__person_id", "session__kind", "score_id", "value")
    )
    latest: dict[tuple, list[float]] = {}
    for person_id, kind, score_id, value in rows:
        if value is None or proposals.DROP_SCORES.get(kind) != score_id:
            continue
        seen = latest.setdefault((person_id, kind), [])
        if len(seen) < 2:
            seen.append(value)
    out: dict[str, dict] = {code: {} for code in proposals.DROP_REASON.values()}
    for (person_id, kind), values in latest.items():
        if len(values) == 2 and values[0] < values[1]:
            out[proposals.DROP_REASON[kind]][person_id] = 1
    return out


sittings = st.lists(
    st.tuples(
        st.sampled_from(["resilience", "protective_factors", "needs_assessment"]),
        st.booleans(),  # completed (else paused)
        st.integers(0, 4),  # conducted so many days ago
        st.integers(0, 3),  # completed so many minutes after (ties on the day)
        st.sampled_from([None, 1.0, 2.5, 3.0, 4.0]),  # the score; None: too few answers
        st.booleans(),  # the instrument's charted score (else another of its scores)
    ),
    max_size=6,
    unique_by=lambda s: (s[2], s[3]),
)


@settings(settings.get_profile("db"), max_examples=40)
@given(per_person=st.lists(sittings, min_size=1, max_size=3))
def test_drops_pairs_the_two_latest_scores_as_the_reading_in_python_did(personas, per_person):
    from wayfinder.assessments.models import Score, Session, SessionStatus

    brs(personas.survivor, personas.actor(personas.navigator_a), 3, timezone.localdate())
    model = Session.objects.get(person=personas.survivor)
    persons = [
        personas.survivor,
        *Person.objects.bulk_create(
            [Person(owner_agency=personas.lead, created_by=personas.navigator_a) for _ in range(2)]
        ),
    ]
    now = timezone.now()
    try:
        for person, person_sittings in zip(persons, per_person, strict=False):
            for kind, completed, days, minutes, value, charted in person_sittings:
                session = Session.objects.create(
                    person=person,
                    agency=personas.lead,
                    started_by=personas.navigator_a,
                    instrument_id=model.instrument_id,
                    instrument_version=model.instrument_version,
                    kind=kind,
                    mode=model.mode,
                    language="en",
                    conducted_on=timezone.localdate() - timedelta(days=days),
                    status=SessionStatus.COMPLETED if completed else SessionStatus.IN_PROGRESS,
                    completed_at=now - timedelta(days=days) + timedelta(minutes=minutes),
                )
                right = proposals.DROP_SCORES.get(kind, "pf_mean")
                Score.objects.create(
                    session=session, score_id=right if charted else "other", value=value
                )
        caseload = {
            "person__owner_agency_id": personas.lead.pk,
            "person__forgotten_at__isnull": True,
        }
        assert proposals._drops(caseload) == reference_drops(caseload)
    finally:
        Session.objects.all().delete()
        Person.objects.filter(pk__in=[p.pk for p in persons[1:]]).delete()


def test_the_agenda_counts_are_planned_for_their_own_agency(postgres_only, meeting, personas, nav):
    """A prepared statement's generic plan made the counts twice as slow for the 10⁶ bench's
    lead agency: they are planned each time (wayfinder.core.db.planned_each_time)."""
    overdue_step(personas.survivor, nav)
    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    for _ in range(threshold + 2):
        [p] = proposals.propose(meeting)
    assert p.person == personas.survivor
    prepared = prepared_statements()
    assert prepared, "the meeting's other reads are prepared"
    assert not any('COUNT("plans_step"."id")' in s for s in prepared)
