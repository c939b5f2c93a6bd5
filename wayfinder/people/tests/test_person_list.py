"""The person list: only people the viewer may open, names only where allowed, and name
searches that never put a name in a URL."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from wayfinder.accounts.models import Role
from wayfinder.audit.models import AuditEvent
from wayfinder.consent.actions import ConsentRequest, Signature, create_consent
from wayfinder.core.testing import api_client, staff
from wayfinder.people.actions import add_care_team_member
from wayfinder.people.tests.factories import take_in
from wayfinder.people.tests.helpers import assert_no_identifiers

URL = reverse("person_list")
# Session, user, agency, roles, count, page, audit (5), session save (3); with partners' records
# on the page, their consents and their agencies: the same for 3 people as for a full page,
# because names are decrypted with one keystore query.
MAX_QUERIES = 16


def test_lists_people_with_chosen_name_and_language(personas, login):
    response = login(personas.navigator_a).get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert personas.survivor.pseudonym in text
    assert "Ana Rivera" in text
    assert '<span class="language-badge">Spanish</span>' in text
    event = AuditEvent.objects.filter(action="person.list").latest("seq")
    assert event.detail["shown"] == [personas.survivor.pseudonym]
    assert event.categories == ["identity"]


def test_outsider_never_sees_the_person(personas, login):
    client = login(personas.outsider_c)
    for response in (
        client.get(URL),
        client.post(URL, {"q": "Ana"}, HTTP_HX_REQUEST="true"),
        client.get(URL, {"q": personas.survivor.pseudonym}),
    ):
        assert response.status_code == 200
        results = response.content.decode().split('id="search-status"')[1]
        assert "0 people" in results and personas.survivor.pseudonym not in results
        assert_no_identifiers(response.content)


def test_analyst_loads_the_list_but_sees_no_one(personas, login):
    client = login(personas.analyst)
    for response in (client.get(URL), client.post(URL, {"q": "Rivera"})):
        assert response.status_code == 200
        assert personas.survivor.pseudonym not in response.content.decode()
        assert_no_identifiers(response.content)


def test_htmx_name_search_is_posted_and_returns_the_results_fragment(personas, login):
    take_in(personas.actor(personas.navigator_a), "Bea Other")
    response = login(personas.navigator_a).post(URL, {"q": "rivera"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "<html" not in text and 'id="person-results"' in text
    assert "Ana Rivera" in text and "Bea Other" not in text
    assert 'hx-swap-oob="innerHTML">1 person found.' in text


def test_name_in_a_get_url_is_ignored_and_not_echoed(personas, login):
    take_in(personas.actor(personas.navigator_a), "Bea Other")
    response = login(personas.navigator_a).get(URL, {"q": "Rivera"})
    text = response.content.decode()
    assert "Bea Other" in text  # not filtered: a GET name search is not a search
    assert 'value="Rivera"' not in text


def test_search_page_has_no_get_form_and_pages_of_a_search_are_posted(personas, login):
    actor = personas.actor(personas.navigator_a)
    for i in range(26):
        take_in(actor, f"Rivera Cousin{chr(65 + i)}")
    client = login(personas.navigator_a)
    text = client.get(URL).content.decode()
    assert 'method="get"' not in text.lower()
    text = client.post(URL, {"q": "Rivera"}).content.decode()
    assert "27 people found." in text
    assert "?page=" not in text and 'name="page" value="2"' in text
    second = client.post(URL, {"q": "Rivera", "page": "2"}).content.decode()
    assert "Page 2 of 2" in second


def test_record_code_search_may_be_a_get(personas, login):
    other = take_in(personas.actor(personas.navigator_a), "Bea Other")
    response = login(personas.navigator_a).get(URL, {"q": personas.survivor.pseudonym})
    text = response.content.decode()
    assert personas.survivor.pseudonym in text and other.pseudonym not in text


@pytest.mark.parametrize("extra", [2, 40])
def test_query_count_does_not_grow_with_the_list(
    personas, login, django_assert_max_num_queries, extra
):
    actor = personas.actor(personas.navigator_a)
    for i in range(extra):
        take_in(actor, f"Person {chr(65 + i % 26)}{chr(65 + i // 26)}")
    client = login(personas.navigator_a)
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(URL).status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.post(URL, {"q": "Person"}, HTTP_HX_REQUEST="true").status_code == 200


@pytest.fixture
def mixed_list(personas):
    """27 records besides the survivor: the lead agency's own and, every ninth, a partner's
    record with navigator_a on its team and a consent naming the lead agency; intake times tie
    in pairs. Returns (the list navigator_a should see in order, a partner record never shown)."""
    lead = personas.actor(personas.navigator_a)
    partner = personas.actor(
        staff(personas.legal, "navigator.b@example.org", Role.NAVIGATOR, "Nadia B")
    )
    start = timezone.now() - timedelta(days=1)
    made = []
    for i in range(27):
        with time_machine.travel(start + timedelta(minutes=i // 2), tick=False):
            if i % 9 == 1:
                person = take_in(partner, f"Shared Person{chr(65 + i)}")
                add_care_team_member(
                    person, actor=partner, user=personas.navigator_a, agency=personas.lead
                )
                create_consent(
                    person,
                    ConsentRequest(
                        recipient_agency=personas.lead,
                        purposes=["care_coordination"],
                        categories=["identity"],
                        expires_at=timezone.now() + timedelta(days=90),
                        method="electronic_signature",
                        signature=Signature(kind="typed", typed_name="Client"),
                        explained_not_a_condition=True,
                    ),
                    actor=partner,
                )
            else:
                person = take_in(lead, f"Own Person{chr(65 + i)}")
            made.append(person)
    hidden = take_in(partner, "Not Shared")  # a partner's record without consent
    expected = sorted(
        sorted([personas.survivor, *made], key=lambda p: p.pk),
        key=lambda p: p.created_at,
        reverse=True,
    )
    return expected, hidden


def test_pages_merge_own_and_shared_people_newest_first_with_bounded_queries(
    personas, login, django_assert_max_num_queries, mixed_list
):
    """Own records and a partner's consented ones on two pages: each person once, newest first,
    the owning agency named, in no more queries than a page of own records alone."""
    expected, hidden = mixed_list
    client = login(personas.navigator_a)
    shown = []
    for number in (1, 2):
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(URL, {"page": number})
        text = response.content.decode()
        assert "28 people." in text and f"Page {number} of 2" in text
        shown += re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', text)
        assert hidden.pseudonym not in text
        assert "Justice Bridge Legal Aid" in text  # both pages hold a partner's record
    assert shown == [p.pseudonym for p in expected]
    assert "Shared PersonB" in text  # the oldest partner record, tied with an own one


@pytest.mark.parametrize("per_page", [1, 4, 10])
def test_api_pages_are_the_same_list(personas, mixed_list, per_page):
    expected, hidden = mixed_list
    api = api_client(personas, personas.navigator_a)
    shown, number = [], 1
    while True:
        body = api.get(f"/api/v1/persons/?page={number}&per_page={per_page}").json()
        assert body["total"] == len(expected)
        if not body["items"]:
            break
        shown += [item["pseudonym"] for item in body["items"]]
        number += 1
    assert shown == [p.pseudonym for p in expected] and hidden.pseudonym not in shown
    assert number - 1 == -(-len(expected) // per_page)


def test_a_large_count_is_grouped_by_thousands_in_each_language():
    """ "6,162 people found.", as the dashboard's figures are written, not "6162"."""
    from types import SimpleNamespace

    from django.template.loader import render_to_string
    from django.utils import translation

    def status(lang, count, q="rosa"):
        page = SimpleNamespace(paginator=SimpleNamespace(count=count, capped=False))
        with translation.override(lang):
            html = render_to_string(
                "people/person_list.html#results", {"q": q, "page_obj": page, "rows": []}
            )
        return html.split('hx-swap-oob="innerHTML">', 1)[1].split("</p>", 1)[0]

    assert status("en", 6162) == "6,162 people found."
    assert status("en", 1) == "1 person found."
    assert status("en", 6162, q="") == "6,162 people."
    assert status("es", 6162) == "6\xa0162 personas encontradas."  # as "Más de 10 000"
