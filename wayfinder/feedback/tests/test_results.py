"""Below the threshold a domain's figure reaches no page, API answer or export."""

import json

import pytest

from wayfinder.feedback import queries
from wayfinder.feedback.models import Response
from wayfinder.feedback.tests.helpers import answer, closed_day

NOT_ENOUGH = "Not enough responses yet to protect anonymity"

# Four people answer only the first domain: 1, 1, 1 and 2 → a mean of 1.25 ("1.2" or "1.3").
LOW = [{"felt_safe": "1"}, {"felt_safe": "1"}, {"felt_safe": "1"}, {"felt_safe": "2"}]
FIGURES = ("1.25", "1.2", "1,2", "1.3", "1,3", "out of 4")


def outputs(web, api_as, personas, period):
    page = web(personas.admin_a).get("/feedback/", {"period": period}).content.decode()
    csv = web(personas.admin_a).get("/feedback/export.csv", {"period": period}).content.decode()
    api = api_as(personas.admin_a).get("/api/v1/feedback/results/", {"period": period})
    assert api.status_code == 200, api.content
    return page, csv, api.content.decode(), api.json()


def test_below_five_the_figure_is_nowhere(personas, web, api_as):
    for answers in LOW:
        answer(personas.lead, answers)
    period = str(queries.Period.of(closed_day()))
    page, csv, api_text, api = outputs(web, api_as, personas, period)
    assert NOT_ENOUGH in page
    for figure in FIGURES:
        assert figure not in page, figure
        assert figure not in csv, figure
        assert figure not in api_text, figure
    domain = next(d for d in api[0]["domains"] if d["id"] == "respect_safety")
    assert domain == {
        "id": "respect_safety",
        "label": "Respect and feeling safe",
        "kind": "mean",
        "shown": False,
        "value": None,
        "responses": None,
    }
    assert "respect_safety,,,not enough responses yet" in csv.replace("\r", "")


def test_from_five_the_figure_shows(personas, web, api_as):
    for answers in [*LOW, {"felt_safe": "2"}]:  # 1, 1, 1, 2, 2 → 1.4
        answer(personas.lead, answers)
    period = str(queries.Period.of(closed_day()))
    page, csv, _api_text, api = outputs(web, api_as, personas, period)
    assert "1.4 out of 4" in page
    assert "respect_safety,5,1.4," in csv.replace("\r", "")
    domain = next(d for d in api[0]["domains"] if d["id"] == "respect_safety")
    assert (domain["shown"], domain["value"], domain["responses"]) == (True, 1.4, 5)
    # The other domains had no answers: still hidden.
    assert next(d for d in api[0]["domains"] if d["id"] == "information")["value"] is None


def test_threshold_is_a_setting(personas, settings):
    settings.WAYFINDER_FEEDBACK_MIN_RESPONSES = 3
    for answers in LOW[:3]:
        answer(personas.lead, answers)
    res = queries.results(personas.lead, queries.Period.of(closed_day()))
    assert next(d for d in res.domains if d.id == "respect_safety").value == 1.0


def test_an_open_quarter_shows_nothing(personas):
    from django.utils import timezone

    today = timezone.localdate()
    for _n in range(6):
        answer(personas.lead, {"felt_safe": "3"}, on=today)
    res = queries.results(personas.lead, queries.Period.of(today))
    assert res.open and not any(d.shown for d in res.domains)


def test_skip_rule_drops_parenting_answers_of_non_parents(personas):
    answer(personas.lead, {"cares_for_child": "no", "help_as_parent": "4", "felt_safe": "3"})
    answer(personas.lead, {"cares_for_child": "yes", "help_as_parent": "4"})
    rows = sorted(Response.objects.values_list("answers", flat=True), key=json.dumps)
    assert {"cares_for_child": "no", "felt_safe": 3} in rows
    assert {"cares_for_child": "yes", "help_as_parent": 4} in rows


def test_declined_counts_in_no_score(personas, settings):
    settings.WAYFINDER_FEEDBACK_MIN_RESPONSES = 1
    answer(personas.lead, {"felt_safe": "declined", "kind_staff": "4"})
    res = queries.results(personas.lead, queries.Period.of(closed_day()))
    assert next(d for d in res.domains if d.id == "respect_safety").value == 4.0


@pytest.mark.parametrize("who", ["navigator_a", "lawyer_b", "analyst"])
def test_only_admins_see_results(personas, web, api_as, who):
    user = getattr(personas, who)
    page = web(user).get("/feedback/")
    if who == "analyst":
        assert page.status_code == 404
    else:  # casework staff are sent to the survey cards, and see no results
        assert page.status_code == 302 and page["Location"] == "/feedback/cards/"
    assert web(user).get("/feedback/export.csv").status_code == 404
    resp = api_as(user).get("/api/v1/feedback/results/")
    assert resp.status_code == 403 and resp.json()["code"] == "feedback_not_admin"


def test_network_admin_sees_every_agency_agency_admin_only_theirs(personas, web, api_as):
    mine = api_as(personas.admin_a).get("/api/v1/feedback/results/").json()
    assert [r["agency_name"] for r in mine] == [personas.lead.name]
    every = api_as(personas.network_admin).get("/api/v1/feedback/results/").json()
    assert {personas.lead.name, personas.legal.name} <= {r["agency_name"] for r in every}


def test_bad_period_is_a_coded_error(personas, api_as):
    resp = api_as(personas.admin_a).get("/api/v1/feedback/results/", {"period": "2026-Q9"})
    assert resp.status_code == 422


def test_results_in_spanish(personas, web):
    for answers in [*LOW, {"felt_safe": "2"}]:
        answer(personas.lead, answers)
    client = web(personas.admin_a)
    client.cookies["django_language"] = "es"
    period = str(queries.Period.of(closed_day()))
    html = client.get("/feedback/", {"period": period}).content.decode()
    assert "1,4 de 4" in html
    assert "Aún no hay suficientes respuestas para proteger el anonimato" in html
