"""Later pages of the person list are read by keyset (from the row where the last page ended),
and past a cap the list says "More than 10,000 people." instead of counting the whole agency."""

import html
import re

import pytest
from django.urls import reverse

from wayfinder.people import queries
from wayfinder.people.tests.factories import take_in
from wayfinder.people.tests.test_person_list import MAX_QUERIES

URL = reverse("person_list")
ROW = re.compile(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>')
NEXT = re.compile(r'<a href="(\?[^"]+)">Next page</a>')
PREVIOUS = re.compile(r'<a href="(\?[^"]+)">Previous page</a>')


@pytest.fixture
def many(personas):
    actor = personas.actor(personas.navigator_a)
    for i in range(60):
        take_in(actor, f"Person {chr(65 + i % 26)}{chr(65 + i // 26)}")


def test_next_and_previous_links_walk_the_same_list_as_page_numbers(
    personas, login, many, django_assert_max_num_queries
):
    client = login(personas.navigator_a)
    by_number = []
    for number in (1, 2, 3):
        by_number.append(ROW.findall(client.get(URL, {"page": number}).content.decode()))
    assert [len(p) for p in by_number] == [25, 25, 11]

    text = client.get(URL).content.decode()
    walked = [ROW.findall(text)]
    links = []
    while (found := NEXT.search(text)) is not None:
        link = html.unescape(found.group(1))
        assert "after=" in link and "page=" in link
        links.append(link)
        with django_assert_max_num_queries(MAX_QUERIES):
            text = client.get(URL + link).content.decode()
        walked.append(ROW.findall(text))
        assert "of 3" in text
    assert walked == by_number
    assert "Page 3 of 3" in text

    back = []
    while (found := PREVIOUS.search(text)) is not None:
        text = client.get(URL + html.unescape(found.group(1))).content.decode()
        back.append(ROW.findall(text))
    assert back == [by_number[1], by_number[0]]
    assert "Page 1 of 3" in text


def test_a_cursor_that_does_not_parse_falls_back_to_the_page_number(personas, login, many):
    client = login(personas.navigator_a)
    plain = ROW.findall(client.get(URL, {"page": 2}).content.decode())
    odd = client.get(URL, {"page": 2, "after": "not-a-cursor"}).content.decode()
    assert ROW.findall(odd) == plain


def test_past_the_cap_the_count_says_more_than(personas, login, many, monkeypatch):
    monkeypatch.setattr(queries.CappedPaginator, "cap", 40)
    client = login(personas.navigator_a)
    text = client.get(URL).content.decode()
    assert "More than 40 people." in text and "61 people." not in text
    assert "Page 1</span>" in text and "Page 1 of" not in text
    # Later pages still come, by keyset, up to the last one.
    pages = 1
    while (found := NEXT.search(text)) is not None:
        text = client.get(URL + html.unescape(found.group(1))).content.decode()
        pages += 1
    assert pages == 3 and len(ROW.findall(text)) == 11


def test_below_the_cap_the_count_is_exact(personas, login, many):
    text = login(personas.navigator_a).get(URL).content.decode()
    assert "61 people." in text and "Page 1 of 3" in text


def test_a_search_past_the_cap_says_more_than_too(personas, login, many, monkeypatch):
    monkeypatch.setattr(queries.CappedPaginator, "cap", 40)
    client = login(personas.navigator_a)
    text = client.post(URL, {"q": "Person"}).content.decode()
    assert "More than 40 people." in text and "41 people found." not in text
    assert "Page 1</span>" in text and "Page 1 of" not in text
    second = client.post(URL, {"q": "Person", "page": "2"}).content.decode()
    assert "Page 2</span>" in second and "Page 2 of" not in second
    # Below the cap a search's count stays exact.
    monkeypatch.setattr(queries.CappedPaginator, "cap", 100)
    text = client.post(URL, {"q": "Person"}).content.decode()
    assert "60 people found." in text and "Page 1 of 3" in text
