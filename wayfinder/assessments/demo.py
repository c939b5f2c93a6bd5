"""Demo assessments: several survivors assessed two or three times, months apart, so their
trajectories show real change (mostly up, one resilience score down), plus the needs that
result, some of them since met or being addressed, and one needs assessment paused halfway."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from wayfinder.assessments import actions
from wayfinder.assessments.instruments import get_instrument
from wayfinder.assessments.models import Need, NeedStatus, SafetyFlag, SessionStatus
from wayfinder.assessments.scoring import DECLINED
from wayfinder.assessments.testing import run_session
from wayfinder.core.interpretation import InterpreterAnswer
from wayfinder.directory.interpreters import interpretation_services

PF_FACTORS = [
    "substance_treatment",
    "role_models",
    "community_engagement",
    "housing_income",
    "skills_training",
    "awareness",
]
RATING = {0: "not_yet", 1: "partly", 2: "present"}


def protective_factors(levels: list[int | None], help_with: set[str]) -> dict:
    """Ratings per factor (0 not yet, 1 partly, 2 in place, None = does not apply) + help wanted."""
    answers: dict = {}
    for factor, level in zip(PF_FACTORS, levels, strict=True):
        answers[factor] = "not_applicable" if level is None else RATING[level]
        answers[f"{factor}_help"] = "yes" if factor in help_with else "no"
    return answers


def brs(*values) -> dict:
    return {f"brs_{n}": v for n, v in enumerate(values, start=1)}


def ssm(**ratings) -> dict:
    inst = get_instrument("self_sufficiency_matrix")
    base = dict.fromkeys((i.id for i in inst.all_items()), ratings.pop("rest", 3))
    base.update({f"ssm_{k}": v for k, v in ratings.items()})
    return base


NEEDS_LUCIA = {
    "exploitation_form": "labour",
    "exploitation_ended": "months_3_to_12",
    "daily_impact": "a_lot",
    "safe_now": "mostly",
    "contact_from_exploiter": DECLINED,
    "safety_plan_help": "yes",
    "sleep_tonight": "shelter",
    "housing_stable": "unsure",
    "housing_help": "yes",
    "income_sources": ["none"],
    "working_now": "looking",
    "living_wage": "no",
    "household_size": DECLINED,
    "job_help": "yes",
    "legal_matters": ["debts"],
    "immigration_questions": "yes",
    "has_documents": "no",
    "health_now": "fair",
    "needs_care_soon": "yes",
    "health_coverage": "no",
    "felt_overwhelmed": "most_days",
    "thoughts_of_harm": "no",
    "counselling_help": "yes",
    "substance_problems": "no",
    "substance_help": "no",
    "schooling": "secondary",
    "learning_wishes": ["english_classes", "job_training"],
    "trusted_person": "no",
    "mentor_interest": "yes",
    "community_connected": "a_little",
    "community_help": "yes",
    "lacking_now": ["food", "phone"],
    "children_in_care": 0,
    "english_comfort": "not",
    "wants_interpreter": "yes",
    "culture_important": "yes",
    "culture_notes": "Prefiere una consejera; va a misa los domingos.",
}

NEEDS_MARISOL = {
    "exploitation_form": "labour",
    "exploitation_ended": "over_2_years",
    "daily_impact": "some",
    "safe_now": "yes",
    "sleep_tonight": "family_friends",
    "housing_stable": "no",
    "income_sources": ["job"],
    "working_now": "part_time",
    "work_safe_fair": "yes",
    "living_wage": "no",
    "household_size": 4,
    "legal_matters": ["court_case"],
    "next_court_date": None,  # filled in relative to today below
    "felt_overwhelmed": "some_days",
    "learning_wishes": ["computer_skills"],
    "lacking_now": ["childcare", "transport"],
    "children_in_care": 2,
    "english_comfort": "somewhat",
    "anything_else": DECLINED,
}


def load(net) -> None:
    actor = net.actor("navigator", "lead")
    today = timezone.localdate()
    ago = lambda days: today - timedelta(days=days)  # noqa: E731 - local shorthand
    persons = net.persons
    lucia, ana, thu, jess, amina, marisol = (
        persons[0],
        persons[1],
        persons[3],
        persons[4],
        persons[8],
        persons[10],
    )

    # Who interpreted: the directory's interpretation service, by phone (docs/referrals.md).
    provider = next(
        (f"service:{pk}" for pk, name in interpretation_services() if "Interpret" in name),
        "other",
    )

    def run(
        person, instrument, answers, days, *, language="es", interpreter="no", mode="in_person"
    ):
        answer = None
        if interpreter == "yes" and person.primary_language:
            answer = InterpreterAnswer(
                "interpreted",
                "phone" if days % 2 else "in_person",
                person.primary_language,
                provider,
                "Language line",
            )
        return run_session(
            person,
            actor,
            instrument,
            answers,
            on=ago(days),
            language=language,
            interpreter_used=interpreter,
            mode=mode,
            interpreter=answer,
        )

    # Lucía: three sittings over ten months, in Spanish; every measure improves.
    run(lucia, "needs_assessment", NEEDS_LUCIA, 300)
    run(
        lucia,
        "protective_factors",
        protective_factors([None, 0, 0, 0, 0, 1], {"role_models", "skills_training", "awareness"}),
        300,
    )
    run(lucia, "brief_resilience_scale", brs(2, 4, 2, 4, 2, 4), 300)  # 2.00
    run(
        lucia,
        "self_sufficiency_matrix",
        ssm(rest=2, housing=1, income=1, safety=2, language=1),
        299,
    )
    run(
        lucia,
        "protective_factors",
        protective_factors([None, 1, 1, 1, 1, 2], {"housing_income"}),
        160,
    )
    run(lucia, "brief_resilience_scale", brs(3, 3, 3, 3, 2, DECLINED), 160)  # 2.80
    run(lucia, "self_sufficiency_matrix", ssm(rest=3, housing=2, income=2, language=2), 160)
    run(lucia, "protective_factors", protective_factors([None, 2, 1, 1, 2, 2], set()), 30)
    run(lucia, "brief_resilience_scale", brs(4, 2, 4, 2, 4, 2), 30)  # 4.00
    run(
        lucia,
        "self_sufficiency_matrix",
        ssm(rest=4, income=3, community=3, language=3),
        30,
        mode="phone",
    )
    _progress(
        lucia,
        actor,
        met={"emergency_shelter", "basic_needs", "financial", "medical"},
        in_progress={"housing", "legal_immigration", "mental_health", "interpretation"},
        declined={"community"},
    )

    # Thu: Vietnamese speaker, assessed in English with an interpreter; steady gains.
    for days, levels, r, s in (
        (330, [None, 0, 1, 0, 0, 0], (2, 4, 3, 4, 2, 4), 2),
        (200, [None, 1, 1, 1, 0, 1], (3, 3, 3, 3, 3, 3), 3),
        (60, [None, 2, 2, 1, 1, 2], (4, 3, 4, 2, 3, 2), 4),
    ):
        run(
            thu,
            "protective_factors",
            protective_factors(levels, {"skills_training"} if days > 100 else set()),
            days,
            language="en",
            interpreter="yes",
        )
        run(thu, "brief_resilience_scale", brs(*r), days, language="en", interpreter="yes")
        run(
            thu,
            "self_sufficiency_matrix",
            ssm(rest=s, employment=s - 1),
            days,
            language="en",
            interpreter="yes",
        )
    _progress(thu, actor, met={"vocational"}, in_progress={"employment"})

    # Amina: two sittings; protective factors up, resilience about the same.
    run(
        amina,
        "protective_factors",
        protective_factors([1, 0, 0, 1, 0, 1], {"role_models", "community_engagement"}),
        250,
        language="en",
        interpreter="yes",
    )
    run(
        amina,
        "brief_resilience_scale",
        brs(3, 3, 2, 3, 3, 3),
        250,
        language="en",
        interpreter="yes",
    )
    run(
        amina,
        "protective_factors",
        protective_factors([2, 1, 2, 1, 1, 2], set()),
        90,
        language="en",
        interpreter="yes",
    )
    run(
        amina, "brief_resilience_scale", brs(3, 3, 3, 3, 3, 2), 90, language="en", interpreter="yes"
    )
    _progress(amina, actor, in_progress={"mentoring", "community"})

    # Marisol: needs and self-sufficiency up; resilience dipped during a court case.
    needs = dict(NEEDS_MARISOL, next_court_date=(today + timedelta(days=40)).isoformat())
    run(marisol, "needs_assessment", needs, 200)
    run(marisol, "self_sufficiency_matrix", ssm(rest=3, housing=2, income=2), 200)
    run(marisol, "brief_resilience_scale", brs(4, 2, 4, 2, 4, 3), 200)  # 3.83
    run(marisol, "self_sufficiency_matrix", ssm(rest=4, housing=3, income=3), 20)
    run(marisol, "brief_resilience_scale", brs(3, 3, 3, 4, 3, 3), 20)  # 2.83
    _progress(marisol, actor, met={"childcare"}, in_progress={"housing", "legal_criminal"})

    # Jess: one profile, over 90 days ago: due for reassessment.
    run(
        jess,
        "protective_factors",
        protective_factors([1, 1, 0, 2, 1, 2], {"community_engagement"}),
        170,
        language="en",
    )

    # Ana R.: a needs assessment in Spanish, paused after the housing section.
    paused = actions.start_session(
        ana,
        actor=actor,
        instrument_id="needs_assessment",
        mode="in_person",
        language="es",
        interpreter_used="no",
        conducted_on=ago(2),
    )
    actions.save_answers(
        paused,
        actor=actor,
        answers={
            "exploitation_form": "sex",
            "exploitation_ended": "under_3_months",
            "daily_impact": DECLINED,
            "safe_now": "no",
            "safety_plan_help": "yes",
            "sleep_tonight": "no_place",
        },
        current_section=3,
    )
    # The flags of the finished sittings were answered long ago; Ana's (not safe now, in the
    # paused sitting) is still open, so the dashboard and her page show the urgent banner.
    for flag in SafetyFlag.objects.filter(
        responded_at__isnull=True, source_session__status=SessionStatus.COMPLETED
    ):
        actions.respond_to_flag(
            flag, actor=actor, note="Talked together the same day; safety plan made."
        )
    actions.add_need(
        ana,
        actor=actor,
        category="emergency_shelter",
        urgency="immediate",
        note="Nightly check-in by text until a bed is confirmed.",
    )


def _progress(person, actor, *, met=(), in_progress=(), declined=()) -> None:
    """Move some of a person's needs on, as the months of work would have."""
    for need in Need.objects.filter(person=person, status=NeedStatus.OPEN).order_by("created_at"):
        status = (
            NeedStatus.MET
            if need.category in met
            else NeedStatus.IN_PROGRESS
            if need.category in in_progress
            else NeedStatus.DECLINED
            if need.category in declined
            else None
        )
        if status is not None:
            actions.update_need(need, actor=actor, status=status)
