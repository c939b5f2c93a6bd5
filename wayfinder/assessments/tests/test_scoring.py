"""Scores and needs, computed by hand and compared with what the rules produce."""

import pytest

from wayfinder.assessments.instruments import get_instrument
from wayfinder.assessments.scoring import (
    DECLINED,
    AnswerError,
    DerivedNeed,
    clean_value,
    compute_scores,
    derive_needs,
    visible_items,
)


def scores(instrument_id, answers):
    inst = get_instrument(instrument_id)
    return {r.id: r for r in compute_scores(inst, answers)}


def brs(*values):
    return {f"brs_{n}": v for n, v in enumerate(values, start=1) if v is not None}


# --- Brief Resilience Scale: items 2, 4, 6 reversed (6 - x), score = mean of answered ----------


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # 4, (6-2)=4, 4, (6-2)=4, 3, (6-1)=5  -> 24 / 6 = 4.00
        ((4, 2, 4, 2, 3, 1), 4.0),
        # 1, (6-5)=1, 1, (6-5)=1, 1, (6-5)=1  -> 6 / 6 = 1.00 (lowest possible)
        ((1, 5, 1, 5, 1, 5), 1.0),
        # 5, (6-1)=5, 5, (6-1)=5, 5, (6-1)=5  -> 30 / 6 = 5.00 (highest possible)
        ((5, 1, 5, 1, 5, 1), 5.0),
        # 3 everywhere: reversing 3 gives 3 -> 3.00
        ((3, 3, 3, 3, 3, 3), 3.0),
        # 2, (6-4)=2, 3, (6-3)=3, 2, (6-4)=2 -> 14 / 6 = 2.333... -> 2.33
        ((2, 4, 3, 3, 2, 4), 2.33),
    ],
)
def test_brs_reverse_scores_items_2_4_6_and_takes_the_mean(answers, expected):
    result = scores("brief_resilience_scale", brs(*answers))["brs"]
    assert result.value == expected
    assert (result.answered, result.declined, result.missing) == (6, 0, 0)


def test_brs_leaves_out_declined_and_unanswered_items_and_counts_them():
    # brs_1=5, brs_2 declined, brs_3=4, brs_4=1 -> 5, brs_5=3, brs_6 unanswered
    # (5 + 4 + 5 + 3) / 4 = 4.25
    answers = brs(5, DECLINED, 4, 1, 3, None)
    result = scores("brief_resilience_scale", answers)["brs"]
    assert result.value == 4.25
    assert (result.answered, result.declined, result.missing) == (4, 1, 1)


def test_brs_with_everything_declined_has_no_score():
    result = scores("brief_resilience_scale", brs(*[DECLINED] * 6))["brs"]
    assert result.value is None and result.declined == 6 and result.answered == 0


def test_brs_band_follows_smith_2013():
    inst = get_instrument("brief_resilience_scale")
    rule = inst.score_rule("brs")
    low = scores("brief_resilience_scale", brs(2, 4, 3, 3, 2, 4))["brs"]  # 2.33
    normal = scores("brief_resilience_scale", brs(4, 2, 4, 2, 3, 1))["brs"]  # 4.00
    high = scores("brief_resilience_scale", brs(5, 1, 5, 1, 5, 2))["brs"]  # 29/6 = 4.83
    assert low.band(rule)["label"]["en"] == "Low resilience"
    assert normal.band(rule)["label"]["en"] == "Normal resilience"
    assert high.value == 4.83 and high.band(rule)["label"]["en"] == "High resilience"


# --- self-sufficiency matrix -------------------------------------------------------------------


def test_self_sufficiency_mean_of_rated_domains():
    inst = get_instrument("self_sufficiency_matrix")
    items = [i.id for i in inst.all_items()]
    answers = dict.fromkeys(items, 3)
    answers.update({"ssm_housing": 1, "ssm_income": 2, "ssm_community": 5})
    answers["ssm_substance_use"] = DECLINED
    del answers["ssm_language"]
    # 13 domains: 1 declined, 1 unanswered -> 11 rated:
    # 1 + 2 + 5 + 8 x 3 = 32 -> 32 / 11 = 2.909... -> 2.91
    result = scores("self_sufficiency_matrix", answers)["ssm_mean"]
    assert result.value == 2.91
    assert (result.answered, result.declined, result.missing) == (11, 1, 1)


def test_self_sufficiency_rating_must_be_one_to_five():
    item = get_instrument("self_sufficiency_matrix").item("ssm_housing")
    assert clean_value(item, "4") == 4
    with pytest.raises(AnswerError) as exc:
        clean_value(item, 6)
    assert exc.value.code == "out_of_range"
    with pytest.raises(AnswerError):
        clean_value(item, "four")


def test_self_sufficiency_low_ratings_become_needs():
    answers = {"ssm_housing": 1, "ssm_income": 2, "ssm_safety": 3, "ssm_mental_health": 2}
    needs = derive_needs(get_instrument("self_sufficiency_matrix"), answers)
    assert needs == [
        DerivedNeed("emergency_shelter", "immediate", "ssm_housing"),
        DerivedNeed("financial", "medium", "ssm_income"),
        DerivedNeed("mental_health", "high", "ssm_mental_health"),
    ]


# --- protective factors --------------------------------------------------------------------------


def test_protective_factors_mean_and_count_skip_not_applicable_and_declined():
    answers = {
        "substance_treatment": "not_applicable",  # answered, not scored
        "role_models": "present",  # 2
        "community_engagement": "partly",  # 1
        "housing_income": "not_yet",  # 0
        "skills_training": DECLINED,
        "awareness": "present",  # 2
    }
    result = scores("protective_factors", answers)
    # mean of 2, 1, 0, 2 = 5 / 4 = 1.25
    assert result["pf_mean"].value == 1.25
    assert result["pf_mean"].not_scored == 1 and result["pf_mean"].declined == 1
    # present: role_models, awareness
    assert result["pf_present"].value == 2
    assert result["pf_present"].declined == 1


def test_protective_factor_help_wanted_becomes_a_need():
    answers = {
        "role_models": "not_yet",
        "role_models_help": "yes",
        "housing_income": "partly",
        "housing_income_help": "yes",
        "awareness": "not_yet",
        "awareness_help": "no",
        "skills_training_help": DECLINED,
    }
    needs = derive_needs(get_instrument("protective_factors"), answers)
    assert needs == [
        DerivedNeed("mentoring", "low", "role_models_help"),
        DerivedNeed("housing", "medium", "housing_income_help"),
        DerivedNeed("financial", "medium", "housing_income_help"),
    ]


# --- needs assessment: rules, visibility, consolidation -----------------------------------------


def test_needs_are_derived_exactly_as_the_rules_say():
    answers = {
        "exploitation_ended": "under_3_months",  # no rule fires
        "safe_now": "mostly",  # no rule fires
        "contact_from_exploiter": "yes",  # safety_planning high
        "safety_plan_help": "yes",  # safety_planning high again (first item wins the tie)
        "sleep_tonight": "family_friends",  # housing medium
        "housing_stable": "no",  # housing high -> the more urgent one wins
        "income_sources": ["job"],
        "working_now": "part_time",
        "work_safe_fair": "no",  # employment high
        "living_wage": "no",  # financial medium
        "lacking_now": ["food", "phone", "transport"],  # basic_needs high, transportation medium
        "thoughts_of_harm": DECLINED,  # declined never produces a need
        "substance_help": "no",
        "english_comfort": "somewhat",  # interpretation medium
    }
    needs = derive_needs(get_instrument("needs_assessment"), answers)
    assert needs == [
        DerivedNeed("safety_planning", "high", "contact_from_exploiter"),
        DerivedNeed("housing", "high", "housing_stable"),
        DerivedNeed("employment", "high", "work_safe_fair"),
        DerivedNeed("financial", "medium", "living_wage"),
        DerivedNeed("basic_needs", "high", "lacking_now"),
        DerivedNeed("transportation", "medium", "lacking_now"),
        DerivedNeed("interpretation", "medium", "english_comfort"),
    ]


def test_ongoing_exploitation_and_self_harm_are_immediate():
    answers = {"exploitation_ended": "ongoing", "thoughts_of_harm": "yes", "safe_now": "no"}
    needs = derive_needs(get_instrument("needs_assessment"), answers)
    assert [(n.category, n.urgency) for n in needs] == [
        ("crisis_intervention", "immediate"),
        ("safety_planning", "immediate"),
    ]


def test_a_hidden_item_produces_no_need_and_is_not_shown():
    inst = get_instrument("needs_assessment")
    # housing_stable only shows when the person has somewhere to sleep
    answers = {"sleep_tonight": "no_place", "housing_stable": "no"}
    assert "housing_stable" not in visible_items(inst, answers)
    needs = derive_needs(inst, answers)
    assert needs == [DerivedNeed("emergency_shelter", "immediate", "sleep_tonight")]


def test_show_if_with_answered_includes_and_declined():
    inst = get_instrument("needs_assessment")
    assert "living_wage" not in visible_items(inst, {})
    assert "living_wage" in visible_items(inst, {"income_sources": ["none"]})
    assert "living_wage" not in visible_items(inst, {"income_sources": DECLINED})
    assert "next_court_date" in visible_items(inst, {"legal_matters": ["court_case", "debts"]})
    assert "next_court_date" not in visible_items(inst, {"legal_matters": ["debts"]})
    assert "culture_notes" not in visible_items(inst, {"culture_important": DECLINED})


def test_clean_value_per_response_type():
    inst = get_instrument("needs_assessment")
    assert clean_value(inst.item("lacking_now"), ["phone", "food", "food"]) == ["food", "phone"]
    assert clean_value(inst.item("household_size"), "3") == 3
    assert clean_value(inst.item("next_court_date"), "2026-09-01") == "2026-09-01"
    assert clean_value(inst.item("anything_else"), "  ") is None
    assert clean_value(inst.item("safe_now"), "") is None
    for item_id, raw, code in [
        ("safe_now", "perhaps", "invalid_choice"),
        ("lacking_now", ["food", "yachts"], "invalid_choice"),
        ("household_size", "0", "out_of_range"),
        ("household_size", "2.5", "not_a_number"),
        ("next_court_date", "next tuesday", "invalid_date"),
        ("anything_else", "x" * 1001, "too_long"),
    ]:
        with pytest.raises(AnswerError) as exc:
            clean_value(inst.item(item_id), raw)
        assert exc.value.code == code, item_id
