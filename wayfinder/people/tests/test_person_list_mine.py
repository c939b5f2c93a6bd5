"""The person list's "my caseload" filter (``?mine=1``, linked from the dashboard): only the
persons whose care team the viewer is on, through the same gate, paged by keyset like the rest
of the list, and kept through searches and pages."""

import html
import re
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from wayfinder.consent.actions import ConsentRequest, Signature, create_consent
from wayfinder.people.actions import add_care_team_member
from wayfinder.people.tests.factories import take_in
from wayfinder.people.tests.test_person_list import MAX_QUERIES

URL = reverse("person_list")
ROW = re.compile(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>')
NEXT = re.compile(r'<a href="(\?[^"]+)">Next page</a>')
PREVIOUS = re.compile(r'<a href="(\?[^"]+)">Previous page</a>')


def test_mine_lists_only_the_viewers_care_teams(personas, login):
    admin = personas.actor(personas.admin_a)
    member_of = take_in(admin, "Team Member")
    add_care_team_member(member_of, actor=admin, user=personas.navigator_a, agency=personas.lead)
    not_mine = take_in(admin, "Not Mine")
    client = login(personas.navigator_a)
    text = client.get(URL, {"mine": "1"}).content.decode()
    assert ROW.findall(text) == [member_of.pseudonym, personas.survivor.pseudonym]
    assert "<h1>My caseload</h1>" in text and "<title>My caseload" in text
    assert "People whose care team you are on, newest first" in text
    assert '<a href="/people/">Show everyone</a>' in text
    assert '<input type="hidden" name="mine" value="1">' in text  # kept by the search form
    assert "2 people." in text
    # Without the filter: everyone the gate lets the navigator open, and no trace of the filter.
    text = client.get(URL).content.decode()
    assert not_mine.pseudonym in text and "<h1>People</h1>" in text
    assert 'name="mine"' not in text and "Show everyone" not in text


def test_mine_keeps_the_gate_for_partners(personas, login):
    """A partner's caseload: records on whose team they are AND whose consent names them."""
    owner = personas.actor(personas.navigator_a)
    shared = take_in(owner, "Shared Person")
    unconsented = take_in(owner, "Unconsented Person")
    for person in (shared, unconsented):
        add_care_team_member(person, actor=owner, user=personas.lawyer_b, agency=personas.legal)
    create_consent(
        shared,
        ConsentRequest(
            recipient_agency=personas.legal,
            purposes=["care_coordination"],
            categories=["identity"],
            expires_at=timezone.now() + timedelta(days=90),
            method="electronic_signature",
            signature=Signature(kind="typed", typed_name="S. P."),
            explained_not_a_condition=True,
        ),
        actor=owner,
    )
    text = login(personas.lawyer_b).get(URL, {"mine": "1"}).content.decode()
    assert ROW.findall(text) == [shared.pseudonym]
    assert "Shared Person" in text and unconsented.pseudonym not in text
    assert login(personas.outsider_c).get(URL, {"mine": "1"}).status_code == 200


def test_mine_pages_by_keyset_and_keeps_the_filter(personas, login, django_assert_max_num_queries):
    nav = personas.actor(personas.navigator_a)
    admin = personas.actor(personas.admin_a)
    mine = [take_in(nav, f"Mine {chr(65 + i % 26)}{chr(65 + i // 26)}") for i in range(30)]
    for i in range(10):
        take_in(admin, f"Theirs {chr(65 + i)}")  # the agency's, the navigator not on the team
    client = login(personas.navigator_a)
    text = client.get(URL, {"mine": "1"}).content.decode()
    first = ROW.findall(text)
    assert len(first) == 25 and "31 people." in text and "Page 1 of 2" in text
    link = html.unescape(NEXT.search(text).group(1))
    assert "after=" in link and link.endswith("&mine=1")
    with django_assert_max_num_queries(MAX_QUERIES):
        text = client.get(URL + link).content.decode()
    second = ROW.findall(text)
    expected = [p.pseudonym for p in reversed(mine)] + [personas.survivor.pseudonym]
    assert first + second == expected
    back = html.unescape(PREVIOUS.search(text).group(1))
    assert back.endswith("mine=1")
    assert ROW.findall(client.get(URL + back).content.decode()) == first


def test_a_name_search_within_mine_is_posted_and_stays_in_the_caseload(personas, login):
    admin = personas.actor(personas.admin_a)
    take_in(admin, "Ana Other")  # the agency's "Ana", not on the navigator's team
    client = login(personas.navigator_a)
    text = client.post(URL, {"q": "ana", "mine": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert ROW.findall(text) == [personas.survivor.pseudonym]
    everyone = client.post(URL, {"q": "ana"}, HTTP_HX_REQUEST="true").content.decode()
    assert len(ROW.findall(everyone)) == 2


def test_mine_in_spanish(personas, login):
    client = login(personas.navigator_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    text = client.get(URL, {"mine": "1"}).content.decode()
    assert "<h1>Mi lista de casos</h1>" in text
    assert "Solo las personas en cuyo equipo de atención está usted." in text
    assert "Mostrar a todas las personas" in text
    text = client.get(reverse("dashboard")).content.decode()
    assert "Ver toda mi lista de casos" in text
