"""Getting in safely: invitation, PIN, recovery sheet, throttling, idle sign-out, lock door."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from wayfinder.audit.models import AuditEvent
from wayfinder.portal.middleware import SESSION_KEY
from wayfinder.portal.models import NoticeKind, PortalAccount, PortalInvitation, PortalNotice
from wayfinder.portal.tests.factories import PIN, account, invite, sign_in

pytestmark = pytest.mark.django_db


def test_navigator_issues_a_code_on_the_person_page(personas, web):
    c = web(personas.navigator_a)
    page = c.get(f"/people/{personas.survivor.pk}/")
    assert b"portal-invite" in page.content
    r = c.post(f"/portal/people/{personas.survivor.pk}/invite/")
    assert r.status_code == 200
    code = re.search(rb'id="portal-code">([A-Z0-9-]+)<', r.content).group(1).decode()
    assert b"Ana" not in r.content and b"Rivera" not in r.content  # the printed sheet names no one
    inv = PortalInvitation.objects.get()
    assert inv.used_at is None
    hours = (inv.expires_at - timezone.now()).total_seconds() / 3600
    assert 71.9 < hours <= 72
    assert code.replace("-", "") not in inv.code_hash  # only the hash is kept
    assert AuditEvent.objects.filter(action="portal.invite").exists()


def test_another_agency_cannot_issue(personas, web, share_with_lawyer):
    share_with_lawyer(["identity"])
    r = web(personas.lawyer_b).post(f"/portal/people/{personas.survivor.pk}/invite/")
    assert r.status_code == 404
    assert not PortalInvitation.objects.exists()


def test_code_then_pin_then_recovery_sheet_then_home(personas, client):
    _inv, raw = invite(personas)
    r = client.post("/my/start/", {"code": raw.lower()})
    assert r.status_code == 302 and r["Location"] == "/my/start/choose/"
    r = client.post("/my/start/choose/", {"kind": "pin", "secret": "12345", "again": "12345"})
    assert r.status_code == 200 and b"6 numbers" in r.content
    r = client.post("/my/start/choose/", {"kind": "pin", "secret": PIN, "again": PIN})
    assert r.status_code == 200
    codes = re.findall(rb"<li>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2})</li>", r.content)
    assert len(codes) == 8
    assert client.get("/my/home/").status_code == 200
    # The code works once.
    client.post("/my/signout/")
    assert client.post("/my/start/", {"code": raw}).status_code == 400
    acc = PortalAccount.objects.get()
    assert acc.secret_hash.startswith(("md5$", "pbkdf2", "argon2"))  # Django's hashers
    assert PIN not in acc.secret_hash


def test_expired_code_does_not_work(personas, client):
    inv, raw = invite(personas)
    PortalInvitation.objects.filter(pk=inv.pk).update(expires_at=timezone.now() - timedelta(1))
    assert client.post("/my/start/", {"code": raw}).status_code == 400
    assert AuditEvent.objects.filter(action="portal.code_failed").exists()


def test_sign_in_form_has_no_autocomplete_and_no_store(client):
    r = client.get("/my/")
    assert b'<form method="post" action="/my/" autocomplete="off"' in r.content
    assert (
        'autocomplete="off"'
        in r.content.decode().split('name="secret"')[0].rsplit("<", 1)[1] + 'autocomplete="off"'
    )
    assert "no-store" in r["Cache-Control"]
    assert b"quick-exit" in r.content


def test_failed_sign_ins_are_audited_and_throttled(personas, client):
    acc, _codes = account(personas)
    for _ in range(5):
        assert client.post("/my/", {"door": acc.door, "secret": "000000"}).status_code == 400
    assert AuditEvent.objects.filter(action="portal.sign_in_failed").count() == 5
    # The right PIN is refused too while the door number is throttled.
    r = client.post("/my/", {"door": acc.door, "secret": PIN})
    assert r.status_code == 429
    assert SESSION_KEY not in client.session


def test_signed_in_pages_are_no_store_and_titled_neutrally(personas, client):
    acc, _codes = account(personas)
    sign_in(client, acc)
    r = client.get("/my/home/")
    assert "no-store" in r["Cache-Control"]
    assert b"<title>Notes</title>" in r.content
    PortalAccount.objects.filter(pk=acc.pk).update(page_title="Recipes")
    r = client.get("/my/home/")
    assert b"<title>Recipes</title>" in r.content
    assert b"Wayfinder" not in r.content


def test_idle_sign_out(personas, client, settings):
    acc, _codes = account(personas)
    sign_in(client, acc)
    session = client.session
    data = session[SESSION_KEY]
    data["seen"] = time.time() - settings.WAYFINDER_PORTAL_IDLE_SECONDS - 1
    session[SESSION_KEY] = data
    session.save()
    r = client.get("/my/home/")
    assert r.status_code == 302 and r["Location"] == "/my/?ended=1"
    assert client.get("/my/home/")["Location"] == "/my/"


def test_lock_door_ends_every_session_and_tells_the_navigator(personas, client):
    from django.test import Client

    acc, _codes = account(personas)
    other = sign_in(Client(), acc)
    sign_in(client, acc)
    r = client.post("/my/lock/")
    assert r.status_code == 200
    assert other.get("/my/home/").status_code == 302  # the other phone is signed out too
    assert client.post("/my/", {"door": acc.door, "secret": PIN}).status_code == 400
    assert PortalNotice.objects.get().kind == NoticeKind.LOCKED
    assert AuditEvent.objects.filter(action="portal.lock_door").exists()
    # The navigator sees it on the record and gives a new code; the person comes back in.
    _inv, raw = invite(personas)
    client.post("/my/start/", {"code": raw})
    r = client.post(
        "/my/start/choose/",
        {"kind": "passphrase", "secret": "blue kettle morning", "again": "blue kettle morning"},
    )
    assert r.status_code == 200
    assert client.get("/my/home/").status_code == 200


def test_recovery_code_lets_the_person_choose_a_new_pin(personas, client):
    acc, codes = account(personas)
    r = client.post("/my/recover/", {"door": acc.door, "code": codes[0]})
    assert r.status_code == 302
    client.post("/my/start/choose/", {"kind": "pin", "secret": "902417", "again": "902417"})
    client.post("/my/signout/")
    sign_in(client, acc, "902417")
    client.post("/my/signout/")
    # A recovery code works once.
    assert client.post("/my/recover/", {"door": acc.door, "code": codes[0]}).status_code == 400


def test_quick_exit_ends_the_portal_session(personas, client, settings):
    acc, _codes = account(personas)
    sign_in(client, acc)
    r = client.post("/exit/")
    assert r.status_code == 302 and r["Location"] == settings.WAYFINDER_QUICK_EXIT_URL
    assert client.get("/my/home/")["Location"] == "/my/"


def test_portal_sign_in_ends_a_staff_session(personas, login, mfa_off):
    client = login(personas.navigator_a)
    acc, _codes = account(personas)
    sign_in(client, acc)
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 404


def test_the_demo_survivor_signs_in_with_the_printed_door_and_pin(client):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("demo", stdout=out)
    assert "door DEMO-2026" in out.getvalue() and "PIN 246810" in out.getvalue()
    r = client.post("/my/", {"door": "demo-2026", "secret": "246810"})
    assert r.status_code == 302 and r["Location"] == "/my/home/"
    assert "Lucía" not in client.get("/my/home/").content.decode()


def test_forgetting_the_person_closes_their_door(personas, client):
    from wayfinder.people.actions import forget_person

    acc, _codes = account(personas)
    sign_in(client, acc)
    person = personas.survivor
    forget_person(person, actor=personas.actor(personas.admin_a), confirmation=person.pseudonym)
    assert not PortalAccount.objects.exists()
    assert client.get("/my/home/")["Location"] == "/my/?ended=1"
