"""``persons_for_list``: the gate's scope in two halves, paged newest first.

Whatever the mix of records (own, shared with consent, revoked, expired, forgotten, not on the
care team …), the halves hold exactly the persons of ``persons_for``, and paging through the list
shows each of them once, in order, and no one else.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.paginator import Paginator
from django.db import connection, transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from wayfinder.access.gate import persons_for, persons_for_list
from wayfinder.accounts.models import Role, User
from wayfinder.consent.actions import ConsentRequest, Signature, create_consent, revoke_consent
from wayfinder.core.testing import Personas, staff
from wayfinder.people.actions import add_care_team_member, forget_person
from wayfinder.people.models import Person
from wayfinder.people.queries import cursor_of, person_page, search_persons
from wayfinder.people.tests.factories import take_in

T0 = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
READ_AT = T0 + timedelta(days=30)  # every consent is in force then, except the "expired" one

# What one record is, seen from navigator_a at the lead agency.
OWN = "own"  # taken in at the lead agency by navigator_a (lead of its care team)
OWN_NOT_ON_TEAM = "own_not_on_team"  # taken in by admin_a: navigator_a is not on the team
OWN_FORGOTTEN = "own_forgotten"
SHARED = "shared"  # Justice Bridge's, navigator_a on the team, consent naming the lead agency
SHARED_NO_NAME = "shared_no_name"  # the same, but the consent does not cover identity
SHARED_REVOKED = "shared_revoked"
SHARED_EXPIRED = "shared_expired"
SHARED_OTHER_PURPOSE = "shared_other_purpose"  # consented for referrals only
SHARED_NOT_ON_TEAM = "shared_not_on_team"  # consent, but navigator_a is not on the team
SHARED_NO_CONSENT = "shared_no_consent"  # on the team, no consent
SHARED_FORGOTTEN = "shared_forgotten"
KINDS = [
    OWN,
    OWN_NOT_ON_TEAM,
    OWN_FORGOTTEN,
    SHARED,
    SHARED_NO_NAME,
    SHARED_REVOKED,
    SHARED_EXPIRED,
    SHARED_OTHER_PURPOSE,
    SHARED_NOT_ON_TEAM,
    SHARED_NO_CONSENT,
    SHARED_FORGOTTEN,
]
IN_SCOPE = {OWN, OWN_NOT_ON_TEAM, SHARED, SHARED_NO_NAME}
NAME_SEEN = {OWN, OWN_NOT_ON_TEAM, SHARED}
NAMES = ["Ana Rivera", "Bea Rivera", "Cy Other"]
CODE_CHARS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # a record code's six characters (Crockford)


@dataclass
class Network:
    personas: Personas
    navigator_b: User  # intake and consent at Justice Bridge
    admin_b: User  # forgets Justice Bridge records


@pytest.fixture
def network(personas):
    return Network(
        personas,
        staff(personas.legal, "navigator.b@example.org", Role.NAVIGATOR, "Nadia B"),
        staff(personas.legal, "admin.b@example.org", Role.AGENCY_ADMIN, "Abe B"),
    )


def _consent(person, actor, recipient, *, categories, purposes=("care_coordination",), days=90):
    return create_consent(
        person,
        ConsentRequest(
            recipient_agency=recipient,
            purposes=list(purposes),
            categories=list(categories),
            expires_at=T0 + timedelta(days=days),
            method="electronic_signature",
            signature=Signature(kind="typed", typed_name="Client"),
            explained_not_a_condition=True,
        ),
        actor=actor,
    )


def build(net: Network, kind: str, name: str) -> Person:
    """One record of ``kind``, made with the real actions (at the time frozen by the caller)."""
    p = net.personas
    if kind.startswith("own"):
        taker = p.admin_a if kind == OWN_NOT_ON_TEAM else p.navigator_a
        person = take_in(p.actor(taker), name)
        if kind == OWN_FORGOTTEN:
            forget_person(person, actor=p.actor(p.admin_a), confirmation=person.pseudonym)
        return person
    owner = p.actor(net.navigator_b)
    person = take_in(owner, name)
    if kind != SHARED_NOT_ON_TEAM:
        add_care_team_member(person, actor=owner, user=p.navigator_a, agency=p.lead)
    if kind != SHARED_NO_CONSENT:
        consent = _consent(
            person,
            owner,
            p.lead,
            categories=["demographics"] if kind == SHARED_NO_NAME else ["identity", "demographics"],
            purposes=["referral"] if kind == SHARED_OTHER_PURPOSE else ["care_coordination"],
            days=1 if kind == SHARED_EXPIRED else 90,
        )
        if kind == SHARED_REVOKED:
            revoke_consent(consent, actor=owner, channel="phone")
    if kind == SHARED_FORGOTTEN:
        forget_person(person, actor=p.actor(net.admin_b), confirmation=person.pseudonym)
    return person


def newest_first(persons) -> list:
    """The list's order, computed here: newest intake first, then by id."""
    return sorted(sorted(persons, key=lambda x: x.pk), key=lambda x: x.created_at, reverse=True)


def pages(actor, q: str, per_page: int) -> tuple[int, list]:
    """(count, every row shown) paging through ``person_page`` from the first page to the last."""
    first, rows = person_page(actor, q=q, page=1, per_page=per_page)
    shown = [r.person for r in rows]
    for number in first.paginator.page_range[1:]:
        page, rows = person_page(actor, q=q, page=number, per_page=per_page)
        assert page.number == number
        shown += [r.person for r in rows]
    return first.paginator.count, shown


def keyset_pages(actor, q: str, per_page: int) -> tuple[list, list]:
    """Pages read forward by keyset from the first to the last (Next links), then back (Previous)."""
    page, rows = person_page(actor, q=q, per_page=per_page, capped=True)
    forward = [[r.person for r in rows]]
    while page.has_next() and rows:
        page, rows = person_page(
            actor, q=q, page=page.number + 1, per_page=per_page, capped=True,
            after=cursor_of(rows[-1].person),
        )  # fmt: skip
        forward.append([r.person for r in rows])
    back = []
    while page.has_previous() and rows:
        page, rows = person_page(
            actor, q=q, page=page.number - 1, per_page=per_page, capped=True,
            before=cursor_of(rows[0].person),
        )  # fmt: skip
        back.append([r.person for r in rows])
    return forward, back


@contextmanager
def rolled_back():
    """Each hypothesis example builds its records in a transaction that is undone at its end."""
    with transaction.atomic(), transaction.atomic(using="keystore"):
        yield
        transaction.set_rollback(True, using="keystore")
        transaction.set_rollback(True)


records = st.lists(
    st.tuples(st.sampled_from(KINDS), st.sampled_from(NAMES), st.integers(0, 2)), max_size=9
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=records,
    per_page=st.integers(1, 5),
    search=st.sampled_from(["", "Rivera", "code"]),
    code=st.text(CODE_CHARS, min_size=6, max_size=6),
)
# A code whose own characters spell "WF-" once went unfound: the search stripped every "WF-".
@example(specs=[(OWN, "Ana Rivera", 0)], per_page=1, search="code", code="3QWF9D")
@example(specs=[(SHARED, "Cy Other", 1)], per_page=2, search="code", code="WFWF7K")
def test_pages_show_exactly_the_scope_once_in_order(network, specs, per_page, search, code):
    p = network.personas
    with rolled_back():
        built = []
        for kind, name, minute in specs:
            # Several records share an intake instant: the id must break the tie, page after page.
            with time_machine.travel(T0 + timedelta(minutes=minute), tick=False):
                built.append((build(network, kind, name), kind, name))
        with time_machine.travel(READ_AT, tick=False):
            actor = p.actor(p.navigator_a)
            scope = persons_for_list(actor)

            # The halves are the gate's scope, split: same persons, none in both.
            own, shared = list(scope.own), list(scope.shared)
            assert not {x.pk for x in own} & {x.pk for x in shared}
            assert {x.pk for x in own + shared} == {x.pk for x in persons_for(actor)}

            visible = [p.survivor] + [x for x, kind, _n in built if kind in IN_SCOPE]
            assert {x.pk for x in own + shared} == {x.pk for x in visible}

            if search == "Rivera":
                expected = [x for x, kind, name in built if kind in NAME_SEEN and "Rivera" in name]
                expected.append(p.survivor)  # "Ana Rivera"
                q = search
            elif search == "code" and built:
                # The code is drawn, not left to chance, so that every kind of code is tried.
                target = built[0][0]
                Person.objects.filter(pk=target.pk).update(pseudonym=f"WF-{code[:4]}-{code[4:]}")
                target.refresh_from_db()
                expected = [target] if built[0][1] in IN_SCOPE else []
                q = target.pseudonym
            else:
                expected, q = visible, ""
            expected = newest_first(expected)

            assert list(search_persons(actor, q)) == expected
            count, shown = pages(actor, q, per_page)
            assert count == len(expected)
            assert [x.pk for x in shown] == [x.pk for x in expected]
            # Keyset pages (Next/Previous) walk the same rows, and back; the capped count agrees.
            forward, back = keyset_pages(actor, q, per_page)
            assert [x.pk for page in forward for x in page] == [x.pk for x in expected]
            assert back == list(reversed(forward[:-1]))
            scope = search_persons(actor, q)
            assert [scope.count_upto(n) for n in (1, 3)] == [min(len(expected), n) for n in (1, 3)]


def test_a_page_past_the_end_and_an_empty_scope(personas):
    actor = personas.actor(personas.navigator_a)
    scope = persons_for_list(actor)
    assert list(scope[1:5]) == [] and list(scope[0:0]) == []
    assert list(Paginator(scope, 10).get_page(99).object_list) == [personas.survivor]

    analyst = persons_for_list(personas.actor(personas.analyst))
    assert analyst.count() == 0 and list(analyst) == []
    page = Paginator(analyst, 10).get_page(1)
    assert page.paginator.count == 0 and list(page.object_list) == []


def test_scope_is_read_by_slices_only(personas):
    scope = persons_for_list(personas.actor(personas.navigator_a))
    with pytest.raises(TypeError):
        scope[0]
    with pytest.raises(TypeError):
        scope[::2]


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("EXPLAIN QUERY PLAN " + sql, params)
            return "\n".join(str(row[-1]) for row in cur.fetchall())
        cur.execute("SET LOCAL enable_seqscan = off")  # a test table is tiny: ask for the index
        cur.execute("EXPLAIN " + sql, params)
        return "\n".join(str(row[0]) for row in cur.fetchall())


def test_a_page_walks_the_agency_index_without_sorting_the_agency(personas):
    """The regression this split fixes: an OR in the scope made every page sort the agency."""
    actor = personas.actor(personas.navigator_a)
    for i in range(30):
        take_in(actor, f"Person {i}")
    plan = _plan(persons_for_list(actor)[0:25])
    assert "person_open_newest" in plan, plan
    if connection.vendor == "sqlite":
        # A temporary B-tree for the whole ORDER BY would mean sorting every row of the agency.
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan.split("RIGHT")[0], plan
    else:
        lines = plan.splitlines()
        walk = next(i for i, line in enumerate(lines) if "using person_open_newest" in line)
        # The own half is cut to the page (Limit) right above the index walk, not sorted first.
        assert "Limit" in lines[walk - 1] and "Merge Append" in plan, plan
