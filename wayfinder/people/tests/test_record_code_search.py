"""Search by record code finds the person, whatever the six characters are.

A code is "WF-" and six Crockford characters, so its own characters may spell "WF" again
(WF-3WF7-9D, WF-WFK2-MX, WF-7K3Q-WF). The search once stripped every "WF-" out of what was typed
and looked for the rest, so such a person could not be found by their own code (a rare random
failure of ``test_pages_show_exactly_the_scope_once_in_order``).
"""

import pytest

from wayfinder.people.models import Person
from wayfinder.people.queries import search_persons
from wayfinder.people.tests.factories import take_in


def _with_code(person, code):
    Person.objects.filter(pk=person.pk).update(pseudonym=code)
    person.refresh_from_db()
    return person


@pytest.mark.parametrize(
    "code", ["WF-3WF7-9D", "WF-WFK2-MX", "WF-AAWF-9D", "WF-7K3Q-WF", "WF-WFWF-WF", "WF-7K3Q-9D"]
)
def test_every_way_of_typing_a_code_finds_its_person(personas, code):
    nav = personas.actor(personas.navigator_a)
    person = _with_code(take_in(nav, "Ana Rivera"), code)
    other = _with_code(take_in(nav, "Bea Rivera"), "WF-" + code[3:7] + "-00")
    body = code[3:7] + code[8:]
    for q in (code, code.lower(), f"  {code} ", "WF" + body, "wf" + body.lower(), body):
        if not q.strip().upper().startswith("WF-") and not any(c.isdigit() for c in body):
            continue  # without "WF-" a code needs a digit, so a short name is not taken for one
        assert [p.pk for p in search_persons(nav, q)[:50]] == [person.pk], q
    # The first four characters alone (a partial code) find both.
    part = "WF-" + code[3:7]
    assert {p.pk for p in search_persons(nav, part)[:50]} == {person.pk, other.pk}, part
