"""``/api/v1/assessments/``: the same gate and rules as the pages, with coded JSON errors."""

import pytest
from django.utils import timezone

from wayfinder.assessments.models import Need, Session
from wayfinder.audit.models import AuditEvent

BASE = "/api/v1/assessments"


@pytest.fixture
def nav_api(personas, api_as):
    return api_as(personas.navigator_a)


def start(api, person, **overrides):
    body = {
        "instrument": "brief_resilience_scale",
        "mode": "phone",
        "language": "en",
        "interpreter_used": "no",
    }
    body.update(overrides)
    return api.post(f"{BASE}/persons/{person.pk}/sessions", body)


def test_lists_instruments_and_reads_one_in_full(nav_api, settings):
    listed = nav_api.get(f"{BASE}/instruments").json()
    assert [i["id"] for i in listed] == [
        "needs_assessment",
        "protective_factors",
        "brief_resilience_scale",
        "self_sufficiency_matrix",
    ]
    one = nav_api.get(f"{BASE}/instruments/brief_resilience_scale").json()
    assert one["sections"][0]["items"][1]["id"] == "brs_2"
    assert "Smith" in one["citation"]
    settings.WAYFINDER_ASSESSMENTS_DISABLED = "brief_resilience_scale"
    assert "brief_resilience_scale" not in [
        i["id"] for i in nav_api.get(f"{BASE}/instruments").json()
    ]
    assert nav_api.get(f"{BASE}/instruments/nothing").status_code == 404


def test_start_answer_partially_then_complete(personas, nav_api):
    response = start(nav_api, personas.survivor)
    assert response.status_code == 201, response.content
    sid = response.json()["id"]
    part = nav_api.post(
        f"{BASE}/sessions/{sid}/answers", {"answers": [{"item": "brs_1", "value": 4}]}
    )
    assert part.status_code == 200 and part.json()["saved"] == ["brs_1"]
    done = nav_api.post(
        f"{BASE}/sessions/{sid}/answers",
        {
            "answers": [
                {"item": "brs_2", "value": 2},
                {"item": "brs_3", "declined": True},
                {"item": "brs_4", "value": "2"},
            ],
            "complete": True,
        },
    )
    body = done.json()
    assert done.status_code == 200, body
    assert body["session"]["status"] == "completed"
    # 4, (6-2)=4, declined, (6-2)=4 -> 12 / 3 = 4.0
    assert body["session"]["scores"] == [
        {
            "id": "brs",
            "value": 4.0,
            "answered": 3,
            "declined": 1,
            "missing": 2,
            "band": "Normal resilience",
        }
    ]
    scores = nav_api.get(f"{BASE}/sessions/{sid}/scores").json()
    assert scores[0]["value"] == 4.0
    read = nav_api.get(f"{BASE}/sessions/{sid}").json()
    assert {"item": "brs_3", "value": None, "declined": True} in read["answers"]


def test_needs_come_back_from_completion_and_the_needs_endpoint(personas, nav_api):
    sid = start(nav_api, personas.survivor, instrument="protective_factors").json()["id"]
    response = nav_api.post(
        f"{BASE}/sessions/{sid}/answers",
        {
            "answers": [
                {"item": "awareness", "value": "not_yet"},
                {"item": "awareness_help", "value": "yes"},
            ],
            "complete": True,
        },
    )
    created = response.json()["needs_created"]
    assert [(n["category"], n["urgency"], n["source_item"]) for n in created] == [
        ("awareness", "low", "awareness_help")
    ]
    listed = nav_api.get(f"{BASE}/persons/{personas.survivor.pk}/needs?active=true").json()
    assert [n["category"] for n in listed] == ["awareness"]
    assert AuditEvent.objects.filter(action="need.list").exists()


@pytest.mark.parametrize(
    ("answers", "code", "field"),
    [
        ([{"item": "brs_1", "value": 7}], "invalid_answers", "answers.brs_1"),
        ([{"item": "brs_9", "value": 3}], "invalid_answers", "answers.brs_9"),
        ([{"item": "brs_1", "value": "lots"}], "invalid_answers", "answers.brs_1"),
    ],
)
def test_invalid_answers_are_422_naming_the_item(personas, nav_api, answers, code, field):
    sid = start(nav_api, personas.survivor).json()["id"]
    response = nav_api.post(f"{BASE}/sessions/{sid}/answers", {"answers": answers})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == code and body["errors"][0]["field"] == field


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"answers": [{"item": "brs_1", "value": 2, "declined": True}]}, "declined_with_value"),
        (
            {"answers": [{"item": "brs_1", "value": 2}, {"item": "brs_1", "value": 3}]},
            "duplicate_item",
        ),
        ({"answers": [{"item": "BRS-1", "value": 2}]}, "invalid_input"),
        ({"answers": [{"item": "brs_1", "value": 2, "colour": "red"}]}, "invalid_input"),
        ({"answers": "brs_1=2"}, "invalid_input"),
    ],
)
def test_malformed_submissions_are_422(personas, nav_api, body, code):
    sid = start(nav_api, personas.survivor).json()["id"]
    response = nav_api.post(f"{BASE}/sessions/{sid}/answers", body)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == code


def test_start_errors_are_coded(personas, nav_api):
    # The instruments and their languages are enums of the schema: refused as input.
    for wrong in ({"instrument": "tarot"}, {"language": "fr"}):
        response = start(nav_api, personas.survivor, **wrong)
        assert response.json()["code"] == "invalid_input"
        assert [e["field"] for e in response.json()["errors"]] == list(wrong)
    assert start(nav_api, personas.survivor, mode="fax").status_code == 422
    future = start(nav_api, personas.survivor, conducted_on="2999-01-01")
    assert future.status_code == 422 and future.json()["code"] == "invalid_date"


def test_a_finished_session_is_409(personas, nav_api):
    sid = start(nav_api, personas.survivor).json()["id"]
    nav_api.post(f"{BASE}/sessions/{sid}/complete")
    again = nav_api.post(
        f"{BASE}/sessions/{sid}/answers", {"answers": [{"item": "brs_1", "value": 1}]}
    )
    assert again.status_code == 409 and again.json()["code"] == "session_closed"


def test_an_outsider_gets_404_on_every_endpoint(personas, api_as, nav_api):
    sid = start(nav_api, personas.survivor).json()["id"]
    outsider = api_as(personas.outsider_c)
    pid = personas.survivor.pk
    calls = [
        ("get", f"{BASE}/persons/{pid}/sessions", None),
        (
            "post",
            f"{BASE}/persons/{pid}/sessions",
            {
                "instrument": "brief_resilience_scale",
                "mode": "phone",
                "language": "en",
                "interpreter_used": "no",
            },
        ),
        ("get", f"{BASE}/sessions/{sid}", None),
        ("post", f"{BASE}/sessions/{sid}/answers", {"answers": [{"item": "brs_1", "value": 1}]}),
        ("post", f"{BASE}/sessions/{sid}/complete", None),
        ("get", f"{BASE}/sessions/{sid}/scores", None),
        ("get", f"{BASE}/sessions/{sid}/fhir", None),
        ("get", f"{BASE}/persons/{pid}/needs", None),
    ]
    for method, path, body in calls:
        response = outsider.get(path) if method == "get" else outsider.post(path, body)
        assert response.status_code == 404, (path, response.content)
        assert response.json()["code"] == "not_found"
    assert Session.objects.get(pk=sid).answers.count() == 0


def test_a_partner_reads_but_gets_read_only_on_writes(personas, api_as, nav_api, share_with_lawyer):
    sid = start(nav_api, personas.survivor).json()["id"]
    nav_api.post(
        f"{BASE}/sessions/{sid}/answers",
        {"answers": [{"item": "brs_1", "value": 3}], "complete": True},
    )
    share_with_lawyer(["assessments", "needs", "health"])
    lawyer = api_as(personas.lawyer_b)
    assert lawyer.get(f"{BASE}/sessions/{sid}").status_code == 200
    assert lawyer.get(f"{BASE}/persons/{personas.survivor.pk}/sessions").json()[0]["id"] == sid
    denied = lawyer.post(f"{BASE}/sessions/{sid}/answers", {"answers": []})
    assert denied.status_code == 403 and denied.json()["code"] == "read_only"
    assert start(lawyer, personas.survivor).status_code == 403
    assert not Need.objects.exists()


def test_fhir_endpoints_return_parseable_resources(personas, nav_api):
    from fhir.resources.R4B.bundle import Bundle
    from fhir.resources.R4B.questionnaire import Questionnaire

    q = nav_api.get(f"{BASE}/instruments/needs_assessment/fhir").json()
    Questionnaire.model_validate(q)
    sid = start(nav_api, personas.survivor, conducted_on=str(timezone.localdate())).json()["id"]
    nav_api.post(
        f"{BASE}/sessions/{sid}/answers",
        {"answers": [{"item": "brs_1", "value": 3}], "complete": True},
    )
    bundle = nav_api.get(f"{BASE}/sessions/{sid}/fhir").json()
    Bundle.model_validate(bundle)
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == [
        "QuestionnaireResponse",
        "Observation",
    ]
    assert AuditEvent.objects.filter(action="assessment.export").exists()


def test_answers_that_disclose_danger_come_back_with_their_safety_flags(personas, nav_api):
    sid = start(nav_api, personas.survivor, instrument="needs_assessment").json()["id"]
    response = nav_api.post(
        f"{BASE}/sessions/{sid}/answers",
        {
            "answers": [
                {"item": "safe_now", "value": "no"},
                {"item": "thoughts_of_harm", "value": "no"},
            ]
        },
    )
    assert response.status_code == 200
    [flag] = response.json()["safety_flags"]
    assert (flag["kind"], flag["item"]) == ("danger_now", "safe_now")
    again = nav_api.post(
        f"{BASE}/sessions/{sid}/answers", {"answers": [{"item": "safe_now", "value": "no"}]}
    )
    assert again.json()["safety_flags"] == []
