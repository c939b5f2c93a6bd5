"""Query-count pins for every benchmarked page: the same count with 10 persons as with 10,000.

The pages of ``make bench`` (``bench/concurrency.py``, ``bench/profile.py``) — the person
page, the person list, a name search on it, the dashboard, a partner's referral inbox and one
section of it a page at a time, and an audited API read — each make a fixed number of
queries (main database + keystore) whatever the agency's size. The persons are added in bulk as
``bench/prepare.py`` does (rows shaped as ``create_person`` writes them, the navigator as lead of
each care team, so the dashboard's caseload fills too): by COPY on PostgreSQL, so that 10,000
costs the suite seconds, not minutes.
"""

from __future__ import annotations

import random

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wayfinder.assessments.actions import add_need
from wayfinder.plans.actions import add_goal, add_note
from wayfinder.referrals.actions import ReferralRequest, create_referral
from wayfinder.referrals.tests.factories import link, listing, referral_consent

# Pinned: (main database, keystore) queries per request. A change here is a change in what
# every request of that page costs: say why in the commit. Signed-in pages: -3 each since the
# session is written at most once a minute (SessionTouchMiddleware), not on every request.
PINS = {
    # -2: the assessments panel in one query; -2: the plan panel's counts and the portal
    # panel's account and notices, one query each; -3: the audit append (2 statements); -1: the
    # care team's "add a member" form (the network's staff) is fetched only when asked for
    "person page": (16, 1),
    "person list": (7, 1),  # audit append: 2 statements in the request's transaction (-3)
    # caseload in two parts; its count and the agency's, capped, in one query; audit append (-3);
    # the referral figures and unread notifications, capped, in one query (-1); overdue steps
    # in three bounded walks (+2: caseload, assigned to the user, to the agency as a partner);
    # paused assessments in the gate's two halves (+1: own records, records shared with it)
    "dashboard": (18, 1),
    "partner inbox": (6, 0),  # its tabs counted from the inbox itself (was 3 count queries)
    # one section a page at a time: the page, the three capped counts in one statement
    "inbox section": (7, 0),
    # the "Who" filter's people (who looked at the person, who listed them: by index, audit
    # 0004), their names; the page of events and its count (a union of the same two), and the
    # page's staff and agencies. Not audited: it shows the trail, not the person's data
    "access history": (11, 0),
    "API person read": (5, 1),  # audit append (-3)
    # the blind-index lookup, then the list's page of matches and its capped count
    "name search": (8, 2),
}
# Audit events each request appends. The pins are PostgreSQL's, where an append inside the
# request's transaction is two statements (lock the head; insert the event and move the head in
# one); SQLite has no data-modifying CTE and makes one more (wayfinder.audit.events).
AUDIT_EVENTS = {
    "person page": 1,
    "person list": 1,
    "dashboard": 1,
    "partner inbox": 0,
    "inbox section": 0,
    "access history": 0,
    "API person read": 1,
    "name search": 1,
}


def pins() -> dict[str, tuple[int, int]]:
    extra = 1 if connections["default"].vendor == "sqlite" else 0
    return {page: (main + extra * AUDIT_EVENTS[page], keys) for page, (main, keys) in PINS.items()}


@pytest.fixture
def scene(personas, mfa_off, issue_token):
    """The survivor with a need, a goal, a note and a referral to legal aid; and the pages."""
    nav = personas.actor(personas.navigator_a)
    person = personas.survivor
    service = listing("org-justice", "Justice Bridge Legal Aid", ["legal_civil"])
    link(personas, personas.legal, service)
    referral_consent(personas, personas.legal, ["identity", "legal"])
    need = add_need(person, actor=nav, category="legal_civil", urgency="high", note="Wage claim")
    create_referral(
        person,
        ReferralRequest(service=service, need_id=need.pk, note="", confirm_withheld=True),
        actor=nav,
    )
    add_goal(person, actor=nav, text="Un lugar seguro", domain="housing", language="spa")
    add_note(person, actor=nav, text="Trajo su identificación.")
    token = issue_token(personas.navigator_a)
    return {
        "person page": (personas.navigator_a, f"/people/{person.pk}/", {}),
        "person list": (personas.navigator_a, "/people/", {}),
        "dashboard": (personas.navigator_a, "/", {}),
        "partner inbox": (personas.lawyer_b, "/referrals/", {}),
        "inbox section": (personas.lawyer_b, "/referrals/received/new/", {}),
        "access history": (personas.admin_a, f"/people/{person.pk}/history/", {}),
        # POSTed, as the list's search form sends it (names never go in a URL); two words, so that
        # the 10,000 persons match a few hundred, not more than a search lists (SEARCH_CAP)
        "name search": (personas.navigator_a, "/people/", {"POST": {"q": "Ana Rivera"}}),
        "API person read": (
            None,
            f"/api/v1/persons/{person.pk}",
            {"HTTP_AUTHORIZATION": f"Bearer {token}"},
        ),
    }


def queries(user, path, headers) -> tuple[int, int]:
    client = Client()
    if user is not None:
        client.force_login(user)
    headers = dict(headers)
    data = headers.pop("POST", None)

    def request():
        if data is not None:
            return client.post(path, data, **headers)
        return client.get(path, **headers)

    assert request().status_code == 200  # warm: session, content types
    with (
        CaptureQueriesContext(connections["default"]) as main,
        CaptureQueriesContext(connections["keystore"]) as keys,
    ):
        assert request().status_code == 200
    return len(main), len(keys)


def add_persons(personas, count: int) -> None:
    from bench.prepare import seed

    seed(personas.lead, personas.navigator_a, count, random.Random(16), set())


def test_every_benchmarked_page_makes_the_same_queries_at_10_and_10000_persons(personas, scene):
    from wayfinder.people.models import Person

    add_persons(personas, 10 - Person.objects.filter(owner_agency=personas.lead).count())
    small = {page: queries(*args) for page, args in scene.items()}
    add_persons(personas, 9990)
    assert Person.objects.filter(owner_agency=personas.lead).count() == 10_000
    large = {page: queries(*args) for page, args in scene.items()}
    assert small == pins(), small
    assert large == pins(), large
