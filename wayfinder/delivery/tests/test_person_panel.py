"""The services panel on the person's page: the newest three a reader may see, from one query."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wayfinder.access.gate import get_access
from wayfinder.consent.tests.factories import consent
from wayfinder.delivery.actions import record_service
from wayfinder.delivery.queries import latest_services, visible_services

pytestmark = pytest.mark.django_db

SERVICES = [  # (kind, days ago): kinds that need a special category among plain ones
    ("substance_use", 1),
    ("legal_civil", 2),
    ("case_management", 3),
    ("mental_health", 3),
    ("housing", 5),
    ("legal_immigration", 8),
    ("employment", 13),
    ("crisis_intervention", 21),
]


@pytest.fixture
def services(personas):
    nav = personas.actor(personas.navigator_a)
    for kind, days in SERVICES:
        record_service(
            personas.survivor,
            actor=nav,
            category=kind,
            delivered_on=timezone.localdate() - timedelta(days=days),
            quantity=1,
            unit="sessions",
        )


def as_rows(services):
    return [(s.delivered_on, s.category, s.agency.name) for s in services]


@pytest.mark.parametrize("limit", [1, 3, 20])
def test_the_owner_sees_the_newest(personas, services, limit):
    access = get_access(personas.actor(personas.navigator_a), personas.survivor.pk)
    rows = latest_services(access, limit)
    assert rows == as_rows(visible_services(access, limit=limit))
    assert len(rows) == min(limit, len(SERVICES))
    with CaptureQueriesContext(connection) as q:
        latest_services(access, limit)
    assert len(q) == 1


@pytest.mark.parametrize(
    "categories",
    [["needs"], ["needs", "legal"], ["needs", "health"], ["identity", "legal"], ["all"]],
)
def test_a_partner_sees_the_rows_that_may_see_allows(
    personas, lawyer_on_team, services, categories
):
    consent(personas, personas.legal, categories)
    access = get_access(personas.actor(personas.lawyer_b), personas.survivor.pk)
    for limit in (3, 20):
        assert latest_services(access, limit) == as_rows(visible_services(access, limit=limit))


def test_the_panel_lists_the_three_newest(personas, services, web):
    page = web(personas.navigator_a).get(f"/people/{personas.survivor.pk}/").content.decode()
    panel = page.split("Services delivered</h2>")[1].split("</ul>")[0]
    assert panel.count("<li>") == 3
    assert "Substance use treatment" in panel and "Housing" not in panel
