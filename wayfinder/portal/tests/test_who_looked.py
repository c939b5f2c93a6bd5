"""Who looked: one line per agency, day and kind (looks or changes), a page at a time.

A person served for a year has thousands of audit events. The page said each one in its own
sentence, the newest 50 only ("Harbor Light looked at your name on 5 December", forty times over),
and gave no way to the older ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format

from wayfinder.audit.events import record
from wayfinder.audit.models import AuditEvent
from wayfinder.portal import queries
from wayfinder.portal.tests.factories import account, sign_in

pytestmark = pytest.mark.django_db

# Days after everything the fixtures record (today), so these are the newest events.
DAY1 = datetime(2030, 3, 2, 15, 0, tzinfo=UTC)
DAY2 = DAY1 + timedelta(days=1)
DAY3 = DAY1 + timedelta(days=2)


def event(personas, who, at, *, look=True, categories=("identity",)):
    with time_machine.travel(at, tick=False):
        record(
            "person.view" if look else "referral.update",
            category="people",
            actor=personas.actor(who),
            person=personas.survivor,
            categories=list(categories),
        )


def counted(personas) -> int:
    """Events the page counts: by an agency's staff, not the person's own portal actions."""
    return (
        AuditEvent.objects.filter(
            person_pseudonym=personas.survivor.pseudonym, agency_id__isnull=False
        )
        .exclude(via="portal")
        .count()
    )


def day(at: datetime) -> str:
    from django.utils import timezone

    return date_format(timezone.localtime(at).date(), "MONTH_DAY_FORMAT")


@pytest.fixture
def busy(personas):
    """Day 1: legal aid looks three times (name; name and legal case; name) and writes twice; the
    navigator writes once. Day 2: legal aid looks once. Returns the person's portal account, made
    first (in the trail, as in life, a later event has a later sequence)."""
    acc, _codes = account(personas)
    lawyer, nav = personas.lawyer_b, personas.navigator_a
    event(personas, lawyer, DAY1, categories=["identity"])
    event(personas, lawyer, DAY1 + timedelta(minutes=5), categories=["identity", "legal"])
    event(personas, lawyer, DAY1 + timedelta(minutes=6), look=False, categories=["legal"])
    event(personas, nav, DAY1 + timedelta(minutes=7), look=False, categories=["plan"])
    event(personas, lawyer, DAY1 + timedelta(minutes=8), look=False, categories=["legal"])
    event(personas, lawyer, DAY1 + timedelta(minutes=9), categories=["identity"])
    event(personas, lawyer, DAY2, categories=["identity"])
    return acc


def test_one_line_per_agency_day_and_kind(personas, busy):
    looks = queries.who_looked(personas.survivor)
    rows = [(r.who, r.looked, r.times, r.what, r.date) for r in looks.rows[:4]]
    legal, lead = "Justice Bridge Legal Aid", personas.lead.name
    assert rows == [
        (legal, True, 1, "your name", day(DAY2)),
        # Newest first within the day, by each line's latest event.
        (legal, True, 3, "your name and your legal case", day(DAY1)),
        (legal, False, 2, "your legal case", day(DAY1)),
        (lead, False, 1, "your plan", day(DAY1)),
    ]
    assert looks.earlier is None
    assert sum(r.times for r in looks.rows) == counted(personas)


def test_the_page_says_it_in_english_and_spanish(personas, busy):
    acc = busy
    page = sign_in(Client(), acc).get("/my/looked/").content.decode()
    legal = "Justice Bridge Legal Aid"
    assert f"{legal} looked at your name on {day(DAY2)}." in page
    assert (
        f"{legal} looked at your file 3 times on {day(DAY1)}. "
        "They saw your name and your legal case." in page
    )
    assert (
        f"{legal} wrote in your file 2 times on {day(DAY1)}. "
        "They wrote or changed your legal case." in page
    )
    assert "See earlier ones" not in page and "Back to the latest" not in page

    acc.language = "es"
    acc.save(update_fields=["language"])
    page = sign_in(Client(), acc).get("/my/looked/").content.decode()
    with translation.override("es"):
        d1, d2 = day(DAY1), day(DAY2)
    assert (d1, d2) == ("2 de marzo", "3 de marzo")  # not "2 marzo"
    assert f"{legal} miró su nombre el {d2}." in page
    assert f"{legal} miró su expediente 3 veces el {d1}. Vio su nombre y su caso legal." in page
    assert (
        f"{legal} escribió en su expediente 2 veces el {d1}. "
        "Escribió o cambió su caso legal." in page
    )


@pytest.mark.parametrize("language", ["ru", "ar"])
def test_the_count_takes_the_languages_plural(personas, busy, language):
    acc = busy
    acc.language = language
    acc.save(update_fields=["language"])
    page = sign_in(Client(), acc).get("/my/looked/").content.decode()
    # Russian "3 раза" (2 to 4), Arabic "3 مرات" (3 to 10), not the English "times".
    assert {"ru": "3 раза 2 марта", "ar": "3 مرات"}[language] in page  # the genitive month
    assert " times " not in page


def test_pages_end_on_a_whole_day_and_walk_back_to_the_start(personas, busy, monkeypatch):
    # Day 3: eight looks, more than a page holds.
    for i in range(8):
        event(personas, personas.lawyer_b, DAY3 + timedelta(minutes=i))
    monkeypatch.setattr(queries, "LOOK_EVENTS", 6)
    pages, before = [], None
    while True:
        looks = queries.who_looked(personas.survivor, before=before)
        pages.append([(r.date, r.who, r.looked, r.times) for r in looks.rows])
        if looks.earlier is None:
            break
        assert before is None or looks.earlier < before
        before = looks.earlier
    legal, lead = "Justice Bridge Legal Aid", personas.lead.name
    # A day of more events than a page is cut where the page ends, and goes on on the next.
    assert pages[0] == [(day(DAY3), legal, True, 6)]
    assert pages[1] == [(day(DAY3), legal, True, 2), (day(DAY2), legal, True, 1)]
    # Other days stay whole: page 2 stops before day 1 rather than show part of it.
    day1 = [row for page in pages for row in page if row[0] == day(DAY1)]
    assert day1 == [
        (day(DAY1), legal, True, 3),
        (day(DAY1), legal, False, 2),
        (day(DAY1), lead, False, 1),
    ]
    assert sum(row[3] for page in pages for row in page) == counted(personas)


def test_the_earlier_link_and_a_bad_address(personas, busy, monkeypatch):
    monkeypatch.setattr(queries, "LOOK_EVENTS", 6)  # day 2, then day 1 (six events) whole
    client = sign_in(Client(), busy)
    first = client.get("/my/looked/").content.decode()
    looks = queries.who_looked(personas.survivor)
    assert f'href="?before={looks.earlier}">See earlier ones</a>' in first
    assert "Back to the latest" not in first
    second = client.get(f"/my/looked/?before={looks.earlier}").content.decode()
    assert "Back to the latest" in second
    assert f"looked at your file 3 times on {day(DAY1)}. They saw your name and your" in second
    # Anything but a positive whole number shows the latest, never an error.
    for bad in ("abc", "-1", "0", "1e9", "9" * 30, "%20"):
        response = client.get(f"/my/looked/?before={bad}")
        assert response.status_code == 200, bad
        assert listed(response.content.decode()) == listed(first), bad


def listed(page: str) -> str:
    return page[page.index('<ul class="portal-list">') :].split("</ul>")[0]


def test_the_page_reads_a_bounded_number_of_events(
    personas, busy, monkeypatch, django_assert_max_num_queries
):
    for i in range(30):
        event(personas, personas.lawyer_b, DAY3 + timedelta(minutes=i))
    monkeypatch.setattr(queries, "LOOK_EVENTS", 10)
    with django_assert_max_num_queries(2):  # the events, their agencies
        looks = queries.who_looked(personas.survivor)
    assert sum(r.times for r in looks.rows) == 10


def test_no_second_sentence_when_nothing_in_particular_was_touched(personas):
    acc, _codes = account(personas)
    for minute in (0, 1):
        event(
            personas, personas.lawyer_b, DAY1 + timedelta(minutes=minute), look=False, categories=()
        )
    page = sign_in(Client(), acc).get("/my/looked/").content.decode()
    legal = "Justice Bridge Legal Aid"
    assert f"{legal} wrote in your file 2 times on {day(DAY1)}.</li>" in page
    assert "They wrote or changed your file" not in page
