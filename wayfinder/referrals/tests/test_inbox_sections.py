"""The partner's inbox at any size: each section (overdue, new, active) in its order, a page at
a time by keyset, with counts capped past ``SECTION_COUNT_CAP``.

A partner with fewer than ``INBOX_ONE_READ`` open referrals has them read at once and sorted into
sections in Python; one with more has each section read in SQL. Both must give the same rows in
the same order, and walking a section's pages must give every referral in it exactly once."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from wayfinder.referrals import queries
from wayfinder.referrals.models import Referral, Status

API = "/api/v1/referrals/"
PRIORITIES = ("routine", "asap", "urgent")
STATUSES = (Status.REQUESTED, Status.ACCEPTED, Status.IN_PROGRESS)


@pytest.fixture
def many(referral):
    """Fourteen more open referrals to legal aid for the same person: priorities, statuses and
    ages mixed, some sent at the same instant (ties broken by id), some overdue."""
    now = timezone.now()
    made = [referral]
    for i, (priority, status) in enumerate(
        itertools.islice(itertools.product(PRIORITIES, STATUSES), 14)
    ):
        r = Referral.objects.get(pk=referral.pk)
        r.pk, r.reference = None, f"REF-MANY-{i:02d}"
        r.priority, r.status = priority, status
        # Every third pair shares its sending time; one in four is 30 days old (overdue).
        age = timedelta(days=30) if i % 4 == 0 else timedelta(hours=(i // 3) + 1)
        r.sent_at = r.last_activity_at = now - age
        r.save()
        made.append(r)
    return made


def _expected(lawyer) -> dict[str, list]:
    """Every open received referral, sectioned and ordered by the rule, from first principles."""
    now = timezone.now()
    rows = list(queries.received_qs(lawyer))
    out: dict[str, list] = {s: [] for s in queries.INBOX_SECTIONS}
    for r in rows:
        overdue = queries.is_overdue(r, now)
        section = "overdue" if overdue else "new" if r.status == Status.REQUESTED else "active"
        rank = queries.PRIORITY_ORDER.get(r.priority, 9) if section != "active" else 0
        when = r.last_activity_at if section == "active" else r.sent_at
        out[section].append(((rank, when, r.pk), r.reference))
    return {s: [ref for _key, ref in sorted(v)] for s, v in out.items()}


def _walk(lawyer, section) -> list[str]:
    seen, after = [], ""
    for _ in range(50):
        rows, more = queries.inbox_section(lawyer, section, after=after)
        seen += [r.reference for r in rows]
        if not more:
            return seen
        after = queries.section_cursor(rows[-1])
    raise AssertionError("the pages did not end")


@pytest.mark.parametrize("whole_read", [True, False], ids=["one read", "per section"])
def test_each_section_in_order_and_every_page_walked(many, lawyer, monkeypatch, whole_read):
    monkeypatch.setattr(queries, "INBOX_ROWS", 2)
    monkeypatch.setattr(queries, "INBOX_ONE_READ", 200 if whole_read else 3)
    expected = _expected(lawyer)
    assert all(len(v) >= 3 for v in expected.values()), expected  # every section has pages
    box = queries.inbox(lawyer, limit=2)
    for section, refs in expected.items():
        assert [r.reference for r in getattr(box, section)] == refs[:2], section
        assert box.more[section] is True
        assert (box.counts[section], box.capped[section]) == (len(refs), False)
        assert _walk(lawyer, section) == refs, section
        assert all(r.overdue == (section == "overdue") for r in getattr(box, section))


def test_counts_stop_at_the_cap(many, lawyer, monkeypatch):
    monkeypatch.setattr(queries, "INBOX_ONE_READ", 3)
    monkeypatch.setattr(queries, "SECTION_COUNT_CAP", 3)
    expected = _expected(lawyer)
    box = queries.inbox(lawyer)
    for section, refs in expected.items():
        assert box.counts[section] == min(len(refs), 3)
        assert box.capped[section] is (len(refs) > 3)


def test_a_cursor_that_does_not_parse_gives_the_first_page(many, lawyer):
    first, _more = queries.inbox_section(lawyer, "new")
    for bad in (
        "x",
        "1_2_3",
        "0_2026-01-01T00:00:00_not-a-uuid",
        "0_2026-01-01T00:00:00_" + "0" * 32,
    ):
        rows, _more = queries.inbox_section(lawyer, "new", after=bad)
        # A naive time does not parse (the cursor's times are aware): the first page again.
        if bad.endswith("0" * 32):
            assert [r.pk for r in rows] == [r.pk for r in first]
        else:
            assert [r.pk for r in rows] == [r.pk for r in first], bad


def test_the_inbox_page_links_to_the_rest_of_a_section(personas, many, login, monkeypatch):
    monkeypatch.setattr(queries, "INBOX_ROWS", 2)
    monkeypatch.setattr(queries, "INBOX_ONE_READ", 3)
    monkeypatch.setattr(queries, "SECTION_COUNT_CAP", 3)
    client = login(personas.lawyer_b)
    text = client.get(reverse("referral_inbox")).content.decode()
    assert "Showing the first 2 of more than 3." in text
    assert '<span class="badge warn">3+</span>' in text or "3+" in text
    link = reverse("referral_inbox_section", args=["new"]) + "?after="
    assert link in text
    href = text.split(link, 1)[1].split('"', 1)[0]
    page = client.get(link + href)
    assert page.status_code == 200
    body = page.content.decode()
    refs = _expected(personas.actor(personas.lawyer_b))["new"]
    assert len(refs) == 3 and refs[2] in body and refs[0] not in body and refs[1] not in body
    assert 'rel="next"' not in body  # the last page
    assert (
        '<p class="muted">3 in all.</p>' in body
        and "First page" in body
        and "Back to the inbox" in body
    )
    # Accepting from a later page comes back to that page.
    assert f'name="next" value="{reverse("referral_inbox_section", args=["new"])}?after=' in body
    assert client.get(reverse("referral_inbox_section", args=["nope"])).status_code == 404
    assert (
        client.get(reverse("referral_inbox_section", args=["new"]) + "?after=junk").status_code
        == 200
    )


def test_the_section_page_in_spanish(personas, many, login, monkeypatch):
    monkeypatch.setattr(queries, "INBOX_ROWS", 2)
    client = login(personas.lawyer_b)
    text = client.get(
        reverse("referral_inbox_section", args=["active"]), HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    assert "Derivaciones activas" in text and "Volver a la bandeja de entrada" in text
    text = client.get(reverse("referral_inbox"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Se muestran las primeras 2 de" in text
    # The sections' headings agree with "derivaciones" (feminine), whatever other apps say.
    for heading in ("Atrasadas", "Nuevas", "Activas"):
        assert f'-heading">{heading} <span' in text, heading


def test_the_api_pages_each_section(personas, many, api_as, monkeypatch):
    monkeypatch.setattr(queries, "INBOX_ONE_READ", 3)
    client = api_as(personas.lawyer_b)
    box = client.get(f"{API}inbox/").json()
    expected = _expected(personas.actor(personas.lawyer_b))
    for section, refs in expected.items():
        got, after = [r["reference"] for r in box[section]], box["next"].get(section)
        assert box["counts"][section] == len(refs) and box["capped"][section] is False
        while after:
            page = client.get(f"{API}inbox/{section}/", {"after": after}).json()
            got += [r["reference"] for r in page["rows"]]
            after = page["next"]
        assert got == refs, section
    response = client.get(f"{API}inbox/nope/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_inbox_says_when_each_referral_came_in(personas, referral, login):
    """A referral sent a moment ago reads "now", not "0 minutes ago"; an older one its age."""
    client = login(personas.lawyer_b)
    now = timezone.now()
    for age, english, spanish in (
        (timedelta(seconds=0), "now", "ahora"),
        (timedelta(seconds=20), "20\xa0seconds ago", "hace 20 segundos"),
        (timedelta(days=3, hours=2), "3\xa0days, 2\xa0hours ago", "hace 3\xa0días, 2\xa0horas"),
    ):
        Referral.objects.filter(pk=referral.pk).update(
            sent_at=now - age, last_activity_at=now - age
        )
        for lang, words in (("en", english), ("es", spanish)):
            with time_machine.travel(now, tick=False):
                page = client.get(reverse("referral_inbox"), HTTP_ACCEPT_LANGUAGE=lang)
            text = page.content.decode()
            assert f'<span class="muted">{words}</span>' in text, (lang, age)
            assert "0\xa0minutes" not in text and "0\xa0minutos" not in text
