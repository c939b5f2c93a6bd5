"""Instrument files: the shipped ones load; bad ones are rejected with a message naming the place."""

import copy

import pytest
import yaml

from wayfinder.assessments.instruments import (
    InstrumentError,
    Kind,
    ResponseType,
    available_instruments,
    get_instrument,
    load_file,
    parse_instrument,
    registry,
)


def minimal():
    return {
        "id": "tiny",
        "version": 1,
        "kind": "needs",
        "languages": ["en", "es"],
        "title": {"en": "Tiny", "es": "Diminuto"},
        "scales": {"five": {n: {"en": str(n), "es": str(n)} for n in range(1, 6)}},
        "sections": [
            {
                "id": "one",
                "title": {"en": "One", "es": "Uno"},
                "items": [
                    {
                        "id": "home",
                        "type": "single_choice",
                        "text": {"en": "Home?", "es": "¿Casa?"},
                        "options": [
                            {"value": "ok", "label": {"en": "OK", "es": "Bien"}},
                            {"value": "none", "label": {"en": "None", "es": "Ninguna"}},
                        ],
                        "needs": [
                            {"when": {"equals": "none"}, "category": "housing", "urgency": "high"}
                        ],
                    },
                    {
                        "id": "rate",
                        "type": "scale",
                        "scale": "five",
                        "text": {"en": "Rate", "es": "Califique"},
                        "show_if": {"item": "home", "equals": "ok"},
                    },
                ],
            }
        ],
        "scores": [
            {"id": "avg", "label": {"en": "A", "es": "A"}, "method": "mean", "items": ["rate"]}
        ],
    }


def rejects(data, *fragments):
    with pytest.raises(InstrumentError) as exc:
        parse_instrument(data, "tiny/v1.yaml")
    message = str(exc.value)
    assert message.startswith("tiny/v1.yaml: "), message
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_every_shipped_instrument_loads_complete_in_english_and_spanish():
    reg = registry()
    assert {i for i, _v in reg} == {
        "needs_assessment",
        "protective_factors",
        "brief_resilience_scale",
        "self_sufficiency_matrix",
        "service_feedback",
        "trafficking_knowledge",
    }
    for inst in reg.values():
        assert inst.languages[:2] == ("en", "es")
        for item in inst.all_items():
            assert item.text["es"] and item.text["en"]
            for option in item.options:
                assert option.label["es"] and option.label["en"]


def test_a_knowledge_check_is_never_offered_for_a_persons_assessment():
    """Trainees' knowledge checks (prevention) load like any instrument but are not for persons."""
    assert get_instrument("trafficking_knowledge").kind == "knowledge"
    assert "trafficking_knowledge" not in {i.id for i in available_instruments()}


def test_needs_assessment_covers_the_twelve_domains_and_time_and_form():
    inst = get_instrument("needs_assessment")
    domains = {s.domain for s in inst.sections}
    assert domains >= {
        "safety",
        "housing",
        "income_employment",
        "legal_immigration",
        "physical_health",
        "mental_health",
        "substance_use",
        "education_vocational",
        "social_support",
        "community_engagement",
        "basic_needs",
        "language_culture",
        "time_and_form",
    }
    assert {o.value for o in inst.item("exploitation_form").options} >= {"sex", "labour", "both"}
    assert inst.item("exploitation_ended").type == ResponseType.SINGLE_CHOICE
    used = {i.type for i in inst.all_items()}
    assert used >= {"single_choice", "multiple_choice", "yes_no", "number", "date", "short_text"}


def test_brs_metadata_cites_smith_2008_and_scores_reverse_items_2_4_6():
    inst = get_instrument("brief_resilience_scale")
    assert "Smith" in inst.citation and "2008" in inst.citation
    rule = inst.score_rule("brs")
    assert rule.method == "mean" and rule.reverse == ("brs_2", "brs_4", "brs_6")
    assert len(rule.items) == 6 and all(inst.item(i).type == "scale" for i in rule.items)


def test_protective_factors_ask_for_help_on_each_of_six_factors():
    inst = get_instrument("protective_factors")
    assert inst.kind == Kind.PROTECTIVE_FACTORS
    assert len(inst.sections) == 6
    for section in inst.sections:
        rating, help_item = section.items
        assert {"present", "partly", "not_yet"} <= {o.value for o in rating.options}
        assert help_item.type == "yes_no" and help_item.needs


def test_self_sufficiency_anchors():
    inst = get_instrument("self_sufficiency_matrix")
    labels = [o.label["en"] for o in inst.item("ssm_housing").options]
    assert labels == ["1 In crisis", "2 Vulnerable", "3 Safe", "4 Building capacity", "5 Empowered"]


def test_a_switched_off_instrument_is_not_offered(settings):
    settings.WAYFINDER_ASSESSMENTS_DISABLED = "brief_resilience_scale"
    assert "brief_resilience_scale" not in {i.id for i in available_instruments()}
    # ... but stays loadable for past sessions
    assert get_instrument("brief_resilience_scale", 1).id == "brief_resilience_scale"


def test_minimal_file_parses():
    inst = parse_instrument(minimal(), "tiny/v1.yaml")
    assert inst.item("rate").min == 1 and inst.item("rate").max == 5


def test_missing_translation_is_rejected():
    data = minimal()
    data["sections"][0]["items"][0]["text"] = {"en": "Home?"}
    rejects(data, "item 'home'.text", "missing translation for es")


def test_missing_translation_of_an_option_label_is_rejected():
    data = minimal()
    data["sections"][0]["items"][0]["options"][1]["label"] = {"en": "None", "es": " "}
    rejects(data, "item 'home'.options[1].label", "missing translation for es")


def test_a_language_list_without_spanish_is_rejected():
    data = minimal()
    data["languages"] = ["en"]
    rejects(data, "languages", "must include es")


def test_duplicate_item_id_is_rejected():
    data = minimal()
    data["sections"].append(copy.deepcopy(data["sections"][0]))
    data["sections"][1]["id"] = "two"
    rejects(data, "duplicate item id 'home'")


def test_duplicate_section_and_option_ids_are_rejected():
    data = minimal()
    data["sections"].append(copy.deepcopy(data["sections"][0]))
    rejects(data, "duplicate section id 'one'")
    data = minimal()
    data["sections"][0]["items"][0]["options"][1]["value"] = "ok"
    rejects(data, "duplicate option value 'ok'")


def test_need_rule_with_unknown_service_category_is_rejected():
    data = minimal()
    data["sections"][0]["items"][0]["needs"][0]["category"] = "castles"
    rejects(data, "item 'home'.needs[0].category", "'castles' is not a service category")


def test_need_rule_with_unknown_urgency_is_rejected():
    data = minimal()
    data["sections"][0]["items"][0]["needs"][0]["urgency"] = "yesterday"
    rejects(data, "needs[0].urgency", "not an urgency")


def test_rule_testing_an_option_that_does_not_exist_is_rejected():
    data = minimal()
    data["sections"][0]["items"][0]["needs"][0]["when"] = {"equals": "homeless"}
    rejects(data, "needs[0].when", "'home' has no option 'homeless'")


def test_rule_with_unknown_operator_is_rejected():
    data = minimal()
    data["sections"][0]["items"][0]["needs"][0]["when"] = {"resembles": "none"}
    rejects(data, "needs exactly one operator", "resembles")


def test_show_if_pointing_at_an_unknown_or_later_item_is_rejected():
    data = minimal()
    data["sections"][0]["items"][1]["show_if"] = {"item": "roof", "equals": "ok"}
    rejects(data, "item 'rate'.show_if", "unknown item 'roof'")
    data = minimal()
    data["sections"][0]["items"][0]["show_if"] = {"item": "rate", "gte": 2}
    rejects(data, "item 'home'.show_if", "comes later")


def test_numeric_operator_on_a_choice_item_is_rejected():
    data = minimal()
    data["sections"][0]["items"][1]["show_if"] = {"item": "home", "gte": 2}
    rejects(data, "'gte' needs a scale or number item")


def test_score_rules_are_checked():
    data = minimal()
    data["scores"][0]["items"] = ["home"]
    rejects(data, "score 'avg'.items", "item 'home' has no numeric value")
    data = minimal()
    data["scores"][0]["reverse"] = ["home"]
    rejects(data, "score 'avg'.reverse", "'home' is not one of the score's items")
    data = minimal()
    data["scores"][0]["method"] = "median"
    rejects(data, "score 'avg'.method", "'median'")


def test_unknown_keys_and_types_are_rejected():
    data = minimal()
    data["sections"][0]["items"][0]["colour"] = "red"
    rejects(data, "item 'home'", "unknown key(s) colour")
    data = minimal()
    data["sections"][0]["items"][0]["type"] = "slider"
    rejects(data, "item 'home'.type", "'slider' is not one of")


def test_every_problem_of_structure_is_listed_at_once():
    data = minimal()
    data["version"] = "1"
    data["sections"][0]["items"][1]["max_length"] = 0
    data["scores"][0]["colour"] = "red"
    message = rejects(data, "version: must be a whole number")
    assert message.splitlines() == [
        "tiny/v1.yaml: version: must be a whole number",
        "tiny/v1.yaml: item 'rate'.max_length: must be at least 1",
        "tiny/v1.yaml: score 'avg': unknown key(s) colour",
    ]


def test_declined_is_reserved():
    data = minimal()
    data["sections"][0]["items"][0]["options"][1]["value"] = "declined"
    rejects(data, "'declined' is reserved")


def test_file_name_must_match_id_and_version(tmp_path):
    folder = tmp_path / "tiny"
    folder.mkdir()
    path = folder / "v2.yaml"
    path.write_text(yaml.safe_dump(minimal(), allow_unicode=True), encoding="utf-8")
    with pytest.raises(InstrumentError, match=r"must be stored as tiny/v1.yaml"):
        load_file(path)
    good = folder / "v1.yaml"
    good.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_file(good).key == "tiny@1"


def test_unreadable_yaml_is_reported_with_the_file_name(tmp_path):
    folder = tmp_path / "tiny"
    folder.mkdir()
    path = folder / "v1.yaml"
    path.write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(InstrumentError, match=r"^tiny/v1.yaml: cannot be read"):
        load_file(path)


def test_shipped_versions_never_change_or_disappear():
    """A session keeps its instrument id and version, so a shipped file must stay as it was.

    Change an instrument by adding a new version file (v2.yaml); then add it to shipped.json.
    """
    import hashlib
    import json

    from wayfinder.assessments.instruments import INSTRUMENTS_DIR

    lock = json.loads((INSTRUMENTS_DIR / "shipped.json").read_text())
    for name, digest in lock.items():
        path = INSTRUMENTS_DIR / name
        assert path.exists(), f"{name} was shipped and must stay loadable"
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        assert actual == digest, f"{name} was shipped and must not change: add a new version"
    on_disk = {str(p.relative_to(INSTRUMENTS_DIR)) for p in INSTRUMENTS_DIR.glob("*/v*.*")}
    unlisted = on_disk - set(lock)
    assert not unlisted, f"add {sorted(unlisted)} to instruments/shipped.json when it ships"


def test_a_none_of_these_answer_cannot_be_combined():
    from wayfinder.assessments.scoring import AnswerError, clean_value

    item = get_instrument("needs_assessment").item("lacking_now")
    assert clean_value(item, ["none"]) == ["none"]
    with pytest.raises(AnswerError) as exc:
        clean_value(item, ["food", "none"])
    assert exc.value.code == "exclusive_choice"
    data = minimal()
    data["sections"][0]["items"][0]["options"][0]["exclusive"] = True
    rejects(data, "options[0].exclusive", "multiple_choice")
