"""The referrals an agency sent, a page at a time, the most recently active first (keyset on
last activity and id), with a count that stops at ``SECTION_COUNT_CAP``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from wayfinder.referrals import queries
from wayfinder.referrals.models import Referral, Status

URL = "/referrals/sent/"


@pytest.fixture
def many(referral):
    """Seven sent referrals: two share a last-activity time (the id breaks the tie); one is
    closed."""
    now = timezone.now()
    made = [referral]
    for i in range(6):
        clone = Referral.objects.get(pk=referral.pk)
        clone.pk, clone.reference = None, f"R-SENT-{i:04d}"
        clone.save()
        made.append(clone)
    times = [5, 3, 3, 9, 1, 7, 2]  # hours ago
    for r, hours in zip(made, times, strict=True):
        Referral.objects.filter(pk=r.pk).update(last_activity_at=now - timedelta(hours=hours))
    Referral.objects.filter(pk=made[4].pk).update(status=Status.COMPLETED)
    return made


def _expected(open_only=True):
    rows = Referral.objects.all()
    if open_only:
        rows = rows.exclude(status=Status.COMPLETED)
    rows = sorted(rows, key=lambda r: (r.last_activity_at, r.pk.hex), reverse=True)
    return [r.reference for r in rows]


def _walk(nav, open_only=True, limit=2):
    seen, after = [], ""
    for _ in range(20):
        rows, more = queries.sent(nav, open_only=open_only, after=after, limit=limit)
        seen += [r.reference for r in rows]
        if not more:
            return seen
        after = queries.sent_cursor(rows, more)
    raise AssertionError("the pages did not end")


@pytest.mark.parametrize("open_only", [True, False], ids=["open", "all"])
def test_every_page_in_order_and_none_twice(many, nav, open_only):
    assert _walk(nav, open_only) == _expected(open_only)
    assert len(_expected(open_only)) == (6 if open_only else 7)


def test_a_cursor_that_does_not_parse_gives_the_first_page(many, nav):
    first, _ = queries.sent(nav, limit=2)
    for bad in ("", "x", "2026-13-01T00:00:00_zz", "2026-01-01T00:00:00_" + many[0].pk.hex):
        assert queries.sent(nav, after=bad, limit=2)[0] == first, bad


def test_the_count_stops_at_the_cap(many, nav, monkeypatch):
    assert queries.sent_count(nav) == (6, False)
    assert queries.sent_count(nav, open_only=False) == (7, False)
    monkeypatch.setattr(queries, "SECTION_COUNT_CAP", 4)
    assert queries.sent_count(nav) == (4, True)


def test_the_page_links_to_the_next_and_back_in_spanish(many, personas, login, monkeypatch):
    monkeypatch.setattr(queries, "SENT_ROWS", 4)
    client = login(personas.navigator_a)
    first = client.get(URL, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    expected = _expected()
    assert "6 en total." in first
    assert all(ref in first for ref in expected[:4]) and expected[4] not in first
    assert 'rel="next">Siguientes 4</a>' in first and "Primera página" not in first
    cursor = first.split(URL + "?after=", 1)[1].split('"', 1)[0]
    second = client.get(URL + "?after=" + cursor, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert all(ref in second for ref in expected[4:]) and expected[0] not in second
    assert 'rel="next"' not in second and "Primera página" in second
    everything = client.get(URL + "?all=1").content.decode()
    assert "7 in all." in everything and "?all=1&amp;after=" in everything
