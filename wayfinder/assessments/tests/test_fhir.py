"""FHIR export of assessments parses with fhir.resources (R4B) and uses only our value-set codes."""

import copy
from datetime import date

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from wayfinder.access.gate import Access
from wayfinder.assessments import fhir as fa
from wayfinder.assessments import testing
from wayfinder.assessments.instruments import get_instrument, registry
from wayfinder.assessments.queries import readable_items, stored_answers
from wayfinder.assessments.scoring import DECLINED
from wayfinder.interop import valuesets as vs


@pytest.fixture
def run_session(personas):
    nav = personas.actor(personas.navigator_a)

    def run(instrument_id, answers, *, on=None):
        return testing.run_session(personas.survivor, nav, instrument_id, answers, on=on)

    return run


@pytest.mark.parametrize("key", sorted(registry()))
def test_every_instrument_is_a_valid_questionnaire_with_only_our_codes(key):
    q = fa.questionnaire(registry()[key])
    Questionnaire.model_validate(q)
    assert vs.check_resource(q) == []
    assert q["url"].startswith(vs.CANONICAL_BASE) and q["version"] == str(key[1])


def test_questionnaire_carries_spanish_declined_option_and_enable_when():
    q = fa.questionnaire(get_instrument("needs_assessment"))
    housing = next(g for g in q["item"] if g["linkId"] == "housing")
    stable = next(i for i in housing["item"] if i["linkId"] == "housing_stable")
    assert stable["enableWhen"] == [
        {
            "question": "sleep_tonight",
            "operator": "!=",
            "answerCoding": {
                "system": vs.instrument_answers_system("needs_assessment"),
                "code": "no_place",
                "display": "I do not have a safe place",
            },
        }
    ]
    assert stable["_text"]["extension"][0]["extension"][1]["valueString"].startswith(
        "¿Puede quedarse"
    )
    assert stable["answerOption"][-1]["valueCoding"]["code"] == vs.LOINC_DECLINED
    court = next(i for g in q["item"] for i in g["item"] if i["linkId"] == "next_court_date")
    assert court["type"] == "date" and court["enableWhen"][0]["operator"] == "="


def test_scale_thresholds_become_enable_when_on_each_point():
    inst = get_instrument("self_sufficiency_matrix")
    mapped = fa._enable_when(inst, {"item": "ssm_housing", "lte": 2})
    assert [w["answerCoding"]["code"] for w in mapped[0]] == ["1", "2"] and mapped[1] == "any"


@pytest.fixture
def finished(personas, run_session):
    return run_session(
        "needs_assessment",
        {
            "exploitation_form": "labour",
            "sleep_tonight": "family_friends",
            "income_sources": ["job", "family"],
            "household_size": 3,
            "legal_matters": ["court_case"],
            "next_court_date": "2026-12-01",
            "thoughts_of_harm": DECLINED,
            "children_in_care": DECLINED,
            "culture_important": "yes",
            "culture_notes": "Halal food",
        },
        on=date(2026, 5, 4),
    )


def test_questionnaire_response_maps_every_answer_type(personas, finished):
    qr = fa.questionnaire_response(finished, stored_answers(finished))
    QuestionnaireResponse.model_validate(qr)
    assert vs.check_resource(qr) == []
    assert qr["status"] == "completed" and qr["language"] == "es"
    assert qr["questionnaire"] == f"{vs.CANONICAL_BASE}/Questionnaire/needs-assessment|2"
    assert qr["subject"] == {"reference": f"Patient/{personas.survivor.pk}"}
    items = {i["linkId"]: i for g in qr["item"] for i in g["item"]}
    assert [a["valueCoding"]["code"] for a in items["income_sources"]["answer"]] == [
        "job",
        "family",
    ]
    assert items["household_size"]["answer"] == [{"valueInteger": 3}]
    assert items["next_court_date"]["answer"] == [{"valueDate": "2026-12-01"}]
    assert items["culture_notes"]["answer"] == [{"valueString": "Halal food"}]
    assert items["thoughts_of_harm"]["answer"][0]["valueCoding"]["code"] == "LA30122-8"
    assert items["children_in_care"]["extension"] == [
        {"url": vs.DATA_ABSENT_REASON_EXT, "valueCode": "asked-declined"}
    ]
    assert (
        items["sleep_tonight"]["answer"][0]["valueCoding"]["display"] == "Con familia o amistades"
    )


def test_a_partner_export_leaves_out_unconsented_sections(personas, finished):
    partner = Access(
        person=personas.survivor, categories=frozenset({"assessments"}), basis="consent"
    )
    readable = readable_items(partner, finished.instrument)
    assert "thoughts_of_harm" not in readable and "next_court_date" not in readable
    qr = fa.questionnaire_response(
        finished, stored_answers(finished, readable=readable), readable=readable
    )
    linkids = {i["linkId"] for g in qr.get("item", []) for i in g["item"]}
    assert "sleep_tonight" in linkids
    assert not linkids & {
        "thoughts_of_harm",
        "next_court_date",
        "legal_matters",
        "exploitation_form",
        "culture_notes",
    }


def test_scores_become_observations_derived_from_the_response(personas, run_session):
    session = run_session(
        "brief_resilience_scale",
        {"brs_1": 4, "brs_2": 2, "brs_3": DECLINED, "brs_4": 2, "brs_5": 3, "brs_6": 1},
        on=date(2026, 2, 1),
    )
    bundle = fa.session_bundle(session, stored_answers(session))
    Bundle.model_validate(bundle)
    assert vs.check_resource(bundle) == []
    obs = bundle["entry"][1]["resource"]
    Observation.model_validate(obs)
    # 4, 4, -, 4, 3, 5 -> 20 / 5 = 4.0
    assert obs["valueQuantity"]["value"] == 4.0
    assert obs["code"]["coding"][0] == {
        "system": vs.ASSESSMENT_SCORE,
        "code": "brs",
        "display": "Resilience (BRS mean, 1-5)",
    }
    assert obs["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{session.pk}"}]
    assert obs["effectiveDateTime"] == "2026-02-01"
    assert [c["coding"][0]["code"] for c in obs["category"]] == ["survey", "sdoh", "stress"]
    counts = {c["code"]["coding"][0]["code"]: c["valueInteger"] for c in obs["component"]}
    assert counts == {"items-answered": 5, "items-declined": 1, "items-unanswered": 0}
    assert obs["interpretation"] == [{"text": "Normal resilience"}]


def test_a_score_with_everything_declined_says_why_it_is_absent(personas, run_session):
    session = run_session("brief_resilience_scale", {f"brs_{n}": DECLINED for n in range(1, 7)})
    obs = fa.session_bundle(session, stored_answers(session))["entry"][1]["resource"]
    Observation.model_validate(obs)
    assert obs["dataAbsentReason"]["coding"][0]["code"] == "asked-declined"
    assert "valueQuantity" not in obs


def test_the_value_set_check_catches_foreign_codes(personas, finished):
    qr = fa.questionnaire_response(finished, stored_answers(finished))
    bad = copy.deepcopy(qr)
    bad["status"] = "bogus"
    QuestionnaireResponse.model_validate(bad)  # fhir.resources does not check codes ...
    assert vs.check_resource(bad) == ["QuestionnaireResponse.status: 'bogus' is not allowed"]
    bad = copy.deepcopy(qr)
    bad["item"][0]["item"][0]["answer"][0]["valueCoding"]["code"] = "pirates"
    assert "code 'pirates' not in" in vs.check_resource(bad)[0]
    bad["item"][0]["item"][0]["answer"][0]["valueCoding"]["system"] = "http://example.com/x"
    assert "is not declared" in vs.check_resource(bad)[0]
    q = fa.questionnaire(get_instrument("protective_factors"))
    q["item"][0]["item"][0]["type"] = "slider"
    assert vs.check_resource(q) == ["Questionnaire.item.type: 'slider' is not allowed"]
    with pytest.raises(ValueError):
        vs.assert_valid_codes(q)


def test_service_categories_and_urgencies_are_declared():
    from wayfinder.core.service_categories import ServiceCategory, Urgency

    declared = vs.declared()
    assert set(ServiceCategory.values) <= declared[vs.SERVICE_CATEGORY]
    assert set(Urgency.values) <= declared[vs.URGENCY]
