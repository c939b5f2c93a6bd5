"""A name that matches more persons of the agency than ``SEARCH_CAP`` asks for more of the name:
the page and the API say so, show no one and read no one, instead of reading every match (a
common first name at 10⁶ persons: 38,000 of them, 0.4 to 0.6 s on each keystroke)."""

import uuid

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from wayfinder.audit.models import AuditEvent
from wayfinder.core import crypto
from wayfinder.keystore.models import BlindIndex
from wayfinder.people import queries
from wayfinder.people.actions import create_person
from wayfinder.people.models import CareTeamMember, Identity
from wayfinder.people.queries import TooManyMatches, search_persons
from wayfinder.people.tests.test_partner_view import consented  # noqa: F401 (a fixture)

URL = reverse("person_list")


@pytest.fixture
def rosas(personas):
    """Three Rosas at the lead agency (with the persona Ana Rivera), one of them a Quispe."""
    actor = personas.actor(personas.navigator_a)
    return [
        create_person(actor=actor, identity=Identity(chosen_name=name), birth_year=1990)
        for name in ("Rosa Quispe", "Rosa Mamani", "Rosmery Flores")
    ]


@pytest.fixture
def cap(monkeypatch):
    monkeypatch.setattr(queries, "SEARCH_CAP", 2)
    return 2


def test_more_matches_than_the_cap_ask_for_more_of_the_name(personas, login, rosas, cap):
    client = login(personas.navigator_a)
    events = AuditEvent.objects.count()
    response = client.post(URL, {"q": "Ros"}, HTTP_HX_REQUEST="true")  # three persons
    assert response.status_code == 200
    text = response.content.decode()
    assert "More than 2 people found." in text
    assert "More than 2 people at your agency match these words. Type more" in text
    for rosa in rosas:
        assert rosa.pseudonym not in text
    assert "Rosa" not in text.replace('value="Ros"', "")  # no name, not even the words echoed
    assert AuditEvent.objects.count() == events  # no one was shown, so no one was read

    # Up to the cap, the matches are listed as before; more words narrow it.
    for q, found in (("Rosa", rosas[:2]), ("Rosa Qui", rosas[:1]), ("Rosm", rosas[2:])):
        text = client.post(URL, {"q": q}, HTTP_HX_REQUEST="true").content.decode()
        assert "Type more of the name" not in text, q
        assert {r.pseudonym for r in rosas if r.pseudonym in text} == {
            r.pseudonym for r in found
        }, q


def test_my_caseload_looks_the_name_up_among_its_own(personas, login, rosas, cap):
    """A name in "My caseload" ("Ros") is searched among the navigator's persons (two of the
    three Rosas), not refused for the agency's three; past ``CASELOAD_SEARCH_MAX`` it counts the
    agency's."""
    CareTeamMember.objects.filter(person=rosas[0], user=personas.navigator_a).delete()
    client = login(personas.navigator_a)

    def search(q, **extra):
        return client.post(URL, {"q": q, **extra}, HTTP_HX_REQUEST="true").content.decode()

    text = search("Ros", mine="1")
    assert "Type more of the name" not in text
    assert {r.pseudonym for r in rosas if r.pseudonym in text} == {
        rosas[1].pseudonym,
        rosas[2].pseudonym,
    }
    assert "Type more of the name" in search("Ros")  # the whole agency: three
    assert rosas[0].pseudonym not in search("Rosa Qui", mine="1")  # not on the caseload

    nav = personas.actor(personas.navigator_a)
    assert set(search_persons(nav, "ros", mine=True)) == set(rosas[1:])
    with pytest.MonkeyPatch.context() as m:
        m.setattr(queries, "CASELOAD_SEARCH_MAX", 1)  # a caseload too large to list
        with pytest.raises(TooManyMatches):
            search_persons(nav, "ros", mine=True)
        assert set(search_persons(nav, "rosa m", mine=True)) == {rosas[1]}


def test_the_whole_page_says_it_too_in_spanish(personas, login, rosas, cap):
    client = login(personas.navigator_a)
    response = client.post(URL, {"q": "ros"}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Más de 2 personas encontradas." in text
    assert "Más de 2 personas de su agencia coinciden con estas palabras." in text
    assert "Type more" not in text


def test_the_api_answers_422_search_too_broad(personas, api_as, rosas, cap):
    api = api_as(personas.navigator_a)
    response = api.post("/api/v1/persons/search", {"search": "ros"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "search_too_broad" and body["cap"] == 2
    assert "Type more of the name" in body["message"] and "Ros" not in body["message"]
    assert not AuditEvent.objects.filter(action="person.list").exists()
    assert api.post("/api/v1/persons/search", {"search": "rosa"}).json()["total"] == 2


@pytest.mark.usefixtures("consented")
def test_the_cap_counts_the_agencys_matches_not_the_partners_few(personas, rosas, cap):
    """A partner's search looks at the other agency's shared persons only: the lead agency's
    many Rosas neither refuse it nor are read."""
    partner = personas.actor(personas.lawyer_b)
    assert list(search_persons(partner, "ros")) == []  # shares no one named Rosa
    with pytest.raises(TooManyMatches):
        search_persons(personas.actor(personas.navigator_a), "ros")


def test_a_record_code_is_never_too_broad(personas, rosas, cap):
    nav = personas.actor(personas.navigator_a)
    assert list(search_persons(nav, rosas[0].pseudonym)) == [rosas[0]]


@settings(settings.get_profile("db"), max_examples=30)
@given(
    n=st.integers(0, 6),
    limit=st.integers(1, 7),
    among=st.sets(st.integers(0, 7), max_size=8),
)
@pytest.mark.django_db
def test_blind_match_all_with_a_limit_or_among_persons(n, limit, among):
    """``limit`` gives that many of the matches (all if fewer); ``among`` the matches in it."""
    agency = uuid.uuid4()
    persons = [uuid.uuid4() for _ in range(8)]
    try:
        for i, pid in enumerate(persons):
            names = ["Rosa Quispe"] if i < n else ["Mateo Huamán"]
            crypto.set_blind_indexes(pid, agency, names, None)
        terms = [("prefix", "ros"), ("name", "quispe")]
        every = crypto.blind_match_all(agency, terms)
        assert every == set(persons[:n])
        some = crypto.blind_match_all(agency, terms, limit=limit)
        assert some <= every and len(some) == min(limit, n)
        chosen = {persons[i] for i in among}
        assert crypto.blind_match_all(agency, terms, among=chosen) == every & chosen
    finally:
        BlindIndex.objects.filter(agency_id=agency).delete()
