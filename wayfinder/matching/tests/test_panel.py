"""The "Find services" panel reads only the columns it shows: the same needs as ``open_needs``."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wayfinder.access.gate import get_access
from wayfinder.assessments.actions import add_need, update_need
from wayfinder.assessments.queries import open_needs
from wayfinder.consent.tests.factories import consent
from wayfinder.matching.panels import panel_needs

pytestmark = pytest.mark.django_db

NEEDS = [  # (category, urgency, status): equal urgencies, the crisis rule, closed needs
    ("housing", "low", "open"),
    ("legal_civil", "high", "in_progress"),
    ("mental_health", "high", "open"),
    ("crisis_intervention", "high", "open"),
    ("substance_use", "immediate", "open"),
    ("legal_immigration", "medium", "open"),
    ("employment", "immediate", "met"),
    ("medical", "low", "declined"),
    ("case_management", "high", "open"),
]


@pytest.fixture
def needs(personas):
    nav = personas.actor(personas.navigator_a)
    for category, urgency, status in NEEDS:
        need = add_need(personas.survivor, actor=nav, category=category, urgency=urgency)
        if status != "open":
            update_need(need, actor=nav, status=status)


def _ids(needs):
    return [n.pk for n in needs]


def test_the_owner_sees_the_needs_of_open_needs_in_the_same_order(personas, needs):
    access = get_access(personas.actor(personas.navigator_a), personas.survivor.pk)
    shown = panel_needs(access)
    assert _ids(shown) == _ids(open_needs(access))
    assert len(shown) == 7
    with CaptureQueriesContext(connection) as q:
        panel_needs(access)
    assert len(q) == 1
    assert "source_session" not in q[0]["sql"] and "note_ct" not in q[0]["sql"]


@pytest.mark.parametrize(
    "categories", [["needs"], ["needs", "legal"], ["needs", "health", "immigration"], ["identity"]]
)
def test_a_partner_sees_the_needs_of_open_needs(personas, lawyer_on_team, needs, categories):
    consent(personas, personas.legal, categories)
    actor = personas.actor(personas.lawyer_b)
    access = get_access(actor, personas.survivor.pk)
    assert _ids(panel_needs(access)) == _ids(open_needs(access))


def test_the_panel_lists_the_needs_on_the_person_page(personas, needs, web):
    page = web(personas.navigator_a).get(f"/people/{personas.survivor.pk}/").content.decode()
    assert 'Substance use treatment <span class="muted">(Immediate (today))</span>' in page
    assert page.split('id="services-for-needs"')[1].split("</ul>")[0].count("<li>") == 7
