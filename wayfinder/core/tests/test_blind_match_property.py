"""``blind_match_all`` against the rule written out: a person is found when every typed term is
in their index, whatever the names and the terms (hypothesis), on both databases."""

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wayfinder.core import crypto
from wayfinder.keystore.models import BlindIndex

pytestmark = pytest.mark.django_db(databases=["default", "keystore"])

# A small alphabet, so that names share beginnings and searches find several people.
word = st.text(alphabet="abcñé", min_size=2, max_size=6)
person_names = st.lists(word, min_size=1, max_size=3).map(" ".join)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=st.lists(person_names, min_size=1, max_size=6), typed=st.lists(word, max_size=3))
def test_found_exactly_when_every_term_is_in_the_index(people, typed):
    agency = uuid.uuid4()
    ids = [uuid.uuid4() for _ in people]
    for pid, names in zip(ids, people, strict=True):
        crypto.set_blind_indexes(pid, agency, [names], None)
    tokens = crypto.name_tokens(" ".join(typed))
    terms = [("prefix" if len(t) >= crypto.PREFIX_MIN else "name", t) for t in tokens]

    def holds(names: str, kind: str, token: str) -> bool:
        own = crypto.name_tokens(names)
        return token in (crypto.name_prefixes(own) if kind == "prefix" else own)

    expected = (
        {
            pid
            for pid, names in zip(ids, people, strict=True)
            if all(holds(names, *t) for t in terms)
        }
        if terms
        else set()
    )
    assert crypto.blind_match_all(agency, terms) == expected
    BlindIndex.objects.filter(agency_id=agency).delete()
