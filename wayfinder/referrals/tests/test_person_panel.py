"""The person page's referrals panel does not grow with the person's history: every open referral
(and draft) and the most recent finished ones, up to ``PANEL_ROWS``; the rest are counted and
left to the full list (``/referrals/person/<id>/``), which still shows them all."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wayfinder.access.gate import get_access
from wayfinder.people.tests.test_partner_view import consented  # noqa: F401 (a fixture)
from wayfinder.referrals import queries
from wayfinder.referrals.models import CLOSED_STATUSES, OPEN_STATUSES, Referral, Status

pytestmark = pytest.mark.django_db


def history(referral, n_open: int, n_finished: int, *, tie_every: int = 4) -> list[Referral]:
    """``n_open`` open and ``n_finished`` finished referrals for the same person, ``referral``
    among them, made a day apart in a mixed order; every ``tie_every``-th shares its
    predecessor's day (ties are broken by id)."""
    now = timezone.now()
    if n_open == 0:  # the first is finished too
        Referral.objects.filter(pk=referral.pk).update(status=Status.COMPLETED)
        kinds = [False] * (n_finished - 1)
    else:
        kinds = [True] * (n_open - 1) + [False] * n_finished
    kinds = kinds[::2] + kinds[1::2]  # open and finished interleaved in time
    made = [referral]
    for i, is_open in enumerate(kinds):
        r = Referral.objects.get(pk=referral.pk)
        r.pk, r.reference = None, f"REF-HIST-{i:02d}"
        statuses = OPEN_STATUSES if is_open else CLOSED_STATUSES
        r.status = statuses[i % len(statuses)]
        r.save()
        day = i if i % tie_every else max(0, i - 1)
        Referral.objects.filter(pk=r.pk).update(created_at=now - timedelta(days=day + 1))
        made.append(r)
    return made


def expected(actor, access) -> tuple[list, int]:
    """The panel's rule written out over the full list."""
    every = queries.person_referrals(actor, access)
    unfinished = [r for r in every if r.status == Status.DRAFT or r.status in OPEN_STATUSES]
    room = max(0, queries.PANEL_ROWS - len(unfinished))
    finished = [r for r in every if r not in unfinished]
    keep = {r.pk for r in unfinished} | {r.pk for r in finished[:room]}
    return [r.pk for r in every if r.pk in keep], max(0, len(finished) - room)


@pytest.mark.parametrize(
    "n_open,n_finished",
    [(1, 0), (1, 9), (1, 10), (3, 12), (12, 2), (10, 0), (0, 11), (0, 10)],
)
def test_every_open_referral_and_the_most_recent_finished(personas, referral, n_open, n_finished):
    history(referral, n_open, n_finished)
    actor = personas.actor(personas.navigator_a)
    access = get_access(actor, personas.survivor.pk)
    rows, left = queries.panel_referrals(actor, access)
    assert ([r.pk for r in rows], left) == expected(actor, access)
    assert len(rows) == max(min(n_open, 12), min(queries.PANEL_ROWS, n_open + n_finished))
    assert len(rows) + left == n_open + n_finished


def test_the_page_says_how_many_are_left_and_the_full_list_has_them(personas, login, referral):
    made = history(referral, 3, 12)
    client = login(personas.navigator_a)
    page = client.get(reverse("person_detail", args=[personas.survivor.pk])).content.decode()
    assert "5 more finished referrals are on the full list." in page
    shown = [r for r in made if r.reference in page]
    assert len(shown) == queries.PANEL_ROWS
    assert all(r.reference in page for r in made if r.status in OPEN_STATUSES)
    full = client.get(reverse("referral_person", args=[personas.survivor.pk])).content.decode()
    assert all(r.reference in full for r in made)
    client.cookies["django_language"] = "es"
    page = client.get(reverse("person_detail", args=[personas.survivor.pk])).content.decode()
    assert "Hay 5 derivaciones terminadas más en la lista completa." in page


@pytest.mark.usefixtures("consented")  # on the care team, with consent: the partner's own view
def test_a_partner_counts_only_its_own(personas, referral, lawyer):
    history(referral, 1, 14)  # all to legal aid, so the partner's own
    access = get_access(lawyer, personas.survivor.pk)
    rows, left = queries.panel_referrals(lawyer, access)
    assert (len(rows), left) == (queries.PANEL_ROWS, 5)
    assert ([r.pk for r in rows], left) == expected(lawyer, access)


def test_the_panel_reads_the_same_whatever_the_history(personas, referral):
    actor = personas.actor(personas.navigator_a)
    access = get_access(actor, personas.survivor.pk)
    counts = []
    for n_finished in (12, 40):
        Referral.objects.exclude(pk=referral.pk).delete()
        history(referral, 2, n_finished)
        with CaptureQueriesContext(connection) as captured:
            rows, left = queries.panel_referrals(actor, access)
        counts.append(len(captured))
        assert len(rows) == queries.PANEL_ROWS and left == 2 + n_finished - queries.PANEL_ROWS
    assert counts[0] == counts[1] == 1


def test_a_tie_at_the_cut_is_broken_as_the_full_list_breaks_it(personas, referral, monkeypatch):
    monkeypatch.setattr(queries, "PANEL_ROWS", 3)
    history(referral, 1, 5, tie_every=1)  # the finished ones in pairs sharing a day
    same = timezone.now() - timedelta(days=3)
    Referral.objects.exclude(pk=referral.pk).update(created_at=same)  # all five at once
    actor = personas.actor(personas.navigator_a)
    access = get_access(actor, personas.survivor.pk)
    rows, left = queries.panel_referrals(actor, access)
    assert ([r.pk for r in rows], left) == expected(actor, access)
    assert left == 3
