"""The API person list and the page read partner records the same way, at the same cost.

Both go through ``people.queries.person_page``. A per-row gate check (the old API list called
``access_for`` for each partner row) would make the cost grow with the rows: 13 queries for two
partner records, 33 for twelve. These tests pin the cost flat, and equal for the API and the page.
"""

from datetime import timedelta

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wayfinder.api.tests.conftest import person_url
from wayfinder.consent.actions import ConsentRequest, Signature, create_consent
from wayfinder.people.actions import add_care_team_member
from wayfinder.people.queries import person_page
from wayfinder.people.tests.factories import take_in

# Queries of one API list request for the partner (token, actor, scope, page, consent, agencies,
# audit): the same for 2 and for 12 partner rows. The audit event is two statements on
# PostgreSQL and three on SQLite (no data-modifying CTE; see wayfinder.audit.events).
API_QUERIES = 8


@pytest.fixture
def login(client, settings):
    """The page's partner, signed in (the MFA step has its own tests)."""
    settings.WAYFINDER_REQUIRE_MFA = False

    def _login(user):
        client.force_login(user)
        return client

    return _login


def _share(personas, n):
    """``n`` records of agency A whose persons consented to lawyer_b's agency seeing them."""
    owner = personas.actor(personas.navigator_a)
    for i in range(n):
        person = take_in(owner, f"Shared {chr(65 + i)}")
        add_care_team_member(person, actor=owner, user=personas.lawyer_b, agency=personas.legal)
        create_consent(
            person,
            ConsentRequest(
                recipient_agency=personas.legal,
                purposes=["care_coordination"],
                categories=["identity", "demographics"],
                expires_at=timezone.now() + timedelta(days=90),
                method="electronic_signature",
                signature=Signature(kind="typed", typed_name="S."),
                explained_not_a_condition=True,
            ),
            actor=owner,
        )


def _count(fn) -> tuple[int, object]:
    with CaptureQueriesContext(connections["default"]) as ctx:
        result = fn()
    return len(ctx), result


@pytest.mark.parametrize("n", [2, 12])
def test_the_api_list_of_partner_records_costs_the_same_for_2_and_12_rows(
    personas, api_as, n, django_assert_num_queries
):
    _share(personas, n)
    api = api_as(personas.lawyer_b)
    api.get(person_url())  # the token's first use stamps last_used_at; measure after that
    sqlite = connections["default"].vendor == "sqlite"
    with django_assert_num_queries(API_QUERIES + sqlite):
        body = api.get(person_url()).json()
    assert body["total"] == n and len(body["items"]) == n
    assert all(item["chosen_name"].startswith("Shared ") for item in body["items"])


@pytest.mark.parametrize("n", [2, 12])
def test_the_api_and_the_page_read_partner_records_with_the_same_queries(
    personas, api_as, login, n
):
    """The API request costs what the page request costs, less what each spends on who is
    asking (the page's session, the API's token): the read in between is the same one."""
    _share(personas, n)
    partner = personas.actor(personas.lawyer_b)
    read, (_page, rows) = _count(lambda: person_page(partner, fields=("chosen_name",)))
    assert len(rows) == n and all(r.name for r in rows)

    api = api_as(personas.lawyer_b)
    api.get(person_url())
    api_cost, body = _count(lambda: api.get(person_url()).json())
    client = login(personas.lawyer_b)
    client.get(reverse("person_list"))
    page_cost, response = _count(lambda: client.get(reverse("person_list")))
    assert len(body["items"]) == n and response.content.decode().count("Shared ") == n

    # Who is asking, measured on a request that reads no person: the rest is the read.
    empty_api, _ = _count(lambda: api.post(f"{person_url()}search", {"search": "WF-0000-00"}))
    empty_page, _ = _count(lambda: client.get(reverse("person_list"), {"q": "WF-0000-00"}))
    assert api_cost - empty_api == page_cost - empty_page
    assert read <= api_cost - empty_api + 4  # the read, plus the audit event it writes
