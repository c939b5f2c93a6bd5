"""The portal's language: the person's preferred language from set-up on, and the switch on
every page (each language in its own script), saved on the account once signed in."""

from __future__ import annotations

import pytest
from django.test import Client

from wayfinder.audit.models import AuditEvent
from wayfinder.portal.actions import set_up
from wayfinder.portal.models import PortalAccount
from wayfinder.portal.tests.factories import PIN, account, invite, sign_in

pytestmark = pytest.mark.django_db


def test_the_preferred_language_drives_the_portal(personas):
    personas.survivor.preferred_languages = ["som", "vie", "eng"]
    personas.survivor.save(update_fields=["preferred_languages"])
    invitation, _raw = invite(personas)
    acc, _codes = set_up(invitation, kind="pin", secret=PIN, again=PIN, ip="127.0.0.1")
    assert acc.language == "vi"
    page = sign_in(Client(), acc).get("/my/home/").content.decode()
    assert '<html lang="vi" dir="ltr">' in page and "Kế hoạch của tôi" in page


def test_the_switch_saves_the_language_on_the_account(personas):
    acc, _codes = account(personas)
    me = sign_in(Client(), acc)
    page = me.get("/my/plan/").content.decode()
    assert '<option value="ar" lang="ar">العربية</option>' in page
    assert 'action="/my/language/"' in page
    r = me.post("/my/language/", {"language": "ar", "next": "/my/plan/"})
    assert r.status_code == 302 and r["Location"] == "/my/plan/"
    assert PortalAccount.objects.get(pk=acc.pk).language == "ar"
    assert AuditEvent.objects.filter(action="portal.preferences").exists()
    page = me.get("/my/plan/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page and "خطتي" in page
    # An unknown language changes nothing; a foreign "next" goes home.
    r = me.post("/my/language/", {"language": "xx", "next": "https://example.org/"})
    assert r["Location"] == "/my/home/"
    assert PortalAccount.objects.get(pk=acc.pk).language == "ar"


def test_signed_out_the_switch_is_the_language_cookie():
    client = Client()
    page = client.get("/my/").content.decode()
    assert 'action="/i18n/setlang/"' in page and 'id="survivor-language"' in page
    client.post("/i18n/setlang/", {"language": "ko", "next": "/my/"})
    assert '<html lang="ko" dir="ltr">' in client.get("/my/").content.decode()
    # Without a portal session the portal's own switch is not found, like every portal write.
    assert client.post("/my/language/", {"language": "ar"}).status_code == 404
