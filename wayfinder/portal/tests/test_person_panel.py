"""The portal panel on the person's page: the account and the newest notices, in one query."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wayfinder.people.actions import create_person
from wayfinder.people.models import Identity
from wayfinder.portal.actions import ask_for_consent, lock_door
from wayfinder.portal.models import NoticeKind, PortalAccount, PortalNotice
from wayfinder.portal.panels import AccountState, portal_state
from wayfinder.portal.tests.factories import account, invite

pytestmark = pytest.mark.django_db


def read_apart(person):
    """What the panel used to read, in two queries: the account, then five notices."""
    acc = PortalAccount.objects.filter(person=person).first()
    state = acc and AccountState(acc.locked_at, bool(acc.secret_hash), acc.last_sign_in_at)
    notices = PortalNotice.objects.filter(person=person)[:5]
    return state, [(n.created_at, n.get_kind_display()) for n in notices]


def one_query(person):
    with CaptureQueriesContext(connection) as q:
        state = portal_state(person)
    assert len(q) == 1
    return state


def test_no_account(personas):
    assert one_query(personas.survivor) == read_apart(personas.survivor) == (None, [])


def test_invited_but_not_set_up(personas):
    invite(personas)
    state, notices = one_query(personas.survivor)
    assert state == AccountState(None, False, None) and notices == []
    assert (state, notices) == read_apart(personas.survivor)


def test_set_up_signed_in_locked_and_notices(personas):
    acc, _codes = account(personas)
    PortalAccount.objects.filter(pk=acc.pk).update(last_sign_in_at=timezone.now())
    assert one_query(personas.survivor) == read_apart(personas.survivor)
    assert one_query(personas.survivor)[0].has_secret
    acc.refresh_from_db()
    for _ in range(3):
        ask_for_consent(acc, ip=None)
    lock_door(acc, ip=None)
    # Seven notices, two of them at the same moment (the order then goes by id), five shown.
    same = timezone.now() - timedelta(hours=1)
    for kind in (NoticeKind.WITHDREW, NoticeKind.CONSENT_REQUEST):
        n = PortalNotice.objects.create(
            person=personas.survivor, agency=personas.survivor.owner_agency, kind=kind
        )
        PortalNotice.objects.filter(pk=n.pk).update(created_at=same)
    PortalNotice.objects.create(
        person=personas.survivor, agency=personas.survivor.owner_agency, kind=NoticeKind.WITHDREW
    )
    state, notices = one_query(personas.survivor)
    assert state.locked_at is not None and len(notices) == 5
    assert (state, notices) == read_apart(personas.survivor)


def test_another_persons_notices_are_not_shown(personas):
    other = create_person(
        actor=personas.actor(personas.navigator_a), identity=Identity(chosen_name="Mara")
    )
    acc, _codes = account(personas, person=other)
    ask_for_consent(acc, ip=None)
    assert one_query(personas.survivor) == (None, [])


def test_the_panel_shows_the_notices(personas, web):
    acc, _codes = account(personas)
    ask_for_consent(acc, ip=None)
    lock_door(acc, ip=None)
    page = web(personas.navigator_a).get(f"/people/{personas.survivor.pk}/").content.decode()
    assert "Locked by the person" in page and "From the portal" in page
    assert str(NoticeKind.CONSENT_REQUEST.label) in page
