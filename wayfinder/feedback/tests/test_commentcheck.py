"""The comment check flags names, phone numbers, e-mail and street addresses."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wayfinder.feedback.commentcheck import check_comment

FLAGGED = [
    ("Maria Lopez at the desk was kind.", "name"),
    ("Ask for Maria at the front desk.", "name"),
    ("Ana was so nice to me.", "name"),
    ("Mrs. Smith was rude to me.", "name"),
    ("La Sra. Pérez me ayudó mucho.", "name"),
    ("My worker is named jose.", "name"),
    ("Call me at 555-123-4567.", "phone"),
    ("My number is (312) 555 0199", "phone"),
    ("text +52 55 1234 5678 please", "phone"),
    ("I live at 12 Elm Street now.", "address"),
    ("we stay at 4410 N Broadway Ave apt 3", "address"),
    ("Vivo en Calle Mayor 12.", "address"),
    ("near Oak Road", "address"),
    ("zip 60601", "address"),
    ("write to me: ana.r@example.org", "email"),
]
CLEAN = [
    "The staff were kind and I felt safe.",
    "Thank you so much! Everything was great.",
    "Gracias por todo. Me sentí bien.",
    "I learned English here on Monday.",
    "It was good. They helped me a lot.",
    "The wait was too long.",
    "",
]


@pytest.mark.parametrize(("text", "kind"), FLAGGED)
def test_flags(text, kind):
    assert kind in check_comment(text)


@pytest.mark.parametrize("text", CLEAN)
def test_leaves_plain_comments_alone(text):
    assert check_comment(text) == []


FIRST = st.sampled_from(["Maria", "José", "Aisha", "Nguyen", "Olga", "Luis", "Fatima", "Kwame"])
LAST = st.sampled_from(["Lopez", "Smith", "García", "Okafor", "Tran", "Ivanova", "Haddad"])
HONORIFIC = st.sampled_from(["Mr", "Mrs.", "Ms", "Dr.", "Officer", "Sra.", "Señor", "Don"])


@given(FIRST, LAST)
def test_any_full_name_is_flagged(first, last):
    assert "name" in check_comment(f"thanks to {first} {last} for everything")


@given(HONORIFIC, LAST)
def test_any_honorific_and_name_is_flagged(honorific, last):
    assert "name" in check_comment(f"i spoke with {honorific} {last} today")


@given(
    st.lists(st.integers(0, 9), min_size=7, max_size=12),
    st.sampled_from(["", " ", "-", ".", " - "]),
)
def test_any_phone_number_is_flagged(digits, sep):
    groups = ["".join(map(str, digits[i : i + 3])) for i in range(0, len(digits), 3)]
    assert "phone" in check_comment(f"call me on {sep.join(groups)} ok")


@given(
    st.integers(1, 99999),
    st.sampled_from(["Elm", "Main", "Lake Shore", "Martin Luther King"]),
    st.sampled_from(["Street", "St", "Ave", "Road", "Blvd", "Lane", "Drive", "Court"]),
)
def test_any_street_address_is_flagged(number, street, suffix):
    assert "address" in check_comment(f"we moved to {number} {street} {suffix} last week")
