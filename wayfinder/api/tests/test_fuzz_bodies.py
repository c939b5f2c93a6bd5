"""Whatever JSON (or non-JSON) is thrown at create and update, the answer is never a 5xx."""

import json
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wayfinder.api.tests.conftest import person_url
from wayfinder.people import models as m
from wayfinder.people.api import PersonCreateIn

FIELDS = sorted(PersonCreateIn.model_fields)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)
odd = st.sampled_from(
    ["", " ", "a\x00b", "\ud800", "x" * 3000, "2999-01-01", "0001-01-01", 2**63, -1, True]
)

# Values the schema accepts, so that many examples get past validation to the actions.
words = st.text(
    alphabet=st.characters(categories=["L", "N", "Zs", "Pd", "Po"]), min_size=1, max_size=30
)
maybe = lambda s: st.one_of(s, st.just("declined"), st.none())  # noqa: E731
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)).map(date.isoformat)
choices = {
    "gender_identity": m.GenderIdentity,
    "interpreter_needed": m.YesNo,
    "trafficking_form": m.TraffickingForm,
    "safety_level": m.SafetyLevel,
    "safe_contact_method": m.ContactMethod,
    "referral_source": m.ReferralSource,
    "staff_gender_preference": m.StaffGenderPreference,
    "faith_preference": m.FaithPreference,
}
valid = {
    "chosen_name": words,
    "aliases": maybe(st.lists(words, max_size=3)),
    "date_of_birth": maybe(dates),
    "exploitation_ended_on": maybe(dates),
    "birth_year": maybe(st.integers(1900, 2025)),
    "email": maybe(st.emails()),
    "preferred_languages": maybe(
        st.lists(st.sampled_from(["spa", "eng", "quc", "vie", "xyz"]), max_size=3, unique=True)
    ),
    "country_of_origin": maybe(st.sampled_from(["GT", "MX", "US", "VN"])),
    "confirm_not_duplicate": st.booleans(),
    **{f: st.one_of(st.sampled_from(c.values), st.none()) for f, c in choices.items()},
}
valid_value = lambda f: valid.get(f, maybe(words))  # noqa: E731
valid_bodies = st.lists(st.sampled_from(FIELDS), max_size=8, unique=True).flatmap(
    lambda fs: st.fixed_dictionaries({f: valid_value(f) for f in fs})
)
named_bodies = st.tuples(words, valid_bodies).map(lambda t: {"chosen_name": t[0], **t[1]})
spoiled_bodies = st.tuples(named_bodies, st.sampled_from(FIELDS), st.one_of(odd, json_values)).map(
    lambda t: {**t[0], t[1]: t[2]}
)
bodies = st.one_of(
    named_bodies.map(json.dumps),
    spoiled_bodies.map(json.dumps),
    st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=6).map(json.dumps),
    json_values.map(json.dumps),
    st.binary(max_size=64),
)
FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _check(response):
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400:
        assert "code" in response.json()


@FUZZ
@given(body=bodies)
def test_create_never_answers_5xx(personas, api_as, body):
    _check(_api(personas, api_as).post(person_url(), raw=body))


@FUZZ
@given(body=bodies)
def test_update_never_answers_5xx(personas, api_as, body):
    _check(_api(personas, api_as).patch(person_url(personas.survivor), raw=body))


_clients: dict = {}


def _api(personas, api_as):
    """One token per test: fixtures are not re-run between examples (and tokens are capped)."""
    if personas.survivor.pk not in _clients:
        _clients.clear()
        _clients[personas.survivor.pk] = api_as(personas.navigator_a)
    return _clients[personas.survivor.pk]
