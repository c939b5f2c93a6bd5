"""Where we sent you: status in plain words, and "Did you get the help?" beside the partner's word."""

from __future__ import annotations

import pytest
from django.test import Client

from wayfinder.assessments.actions import add_need
from wayfinder.audit.models import AuditEvent
from wayfinder.portal.tests.factories import account, sign_in
from wayfinder.referrals.actions import (
    ReferralRequest,
    accept_referral,
    complete_referral,
    create_referral,
    start_referral,
)
from wayfinder.referrals.tests.factories import link, listing, referral_consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(personas, nav):
    service = listing(
        "org-justice", "Justice Bridge Legal Aid", ["legal_civil"], service_name="Civil Legal Aid"
    )
    link(personas, personas.legal, service)
    referral_consent(personas, personas.legal, ["identity", "legal"])
    need = add_need(personas.survivor, actor=nav, category="legal_civil", urgency="high", note="x")
    return create_referral(
        personas.survivor,
        ReferralRequest(service=service, need_id=need.pk, note="", confirm_withheld=True),
        actor=nav,
    )  # fmt: skip


@pytest.fixture
def me(personas):
    acc, _codes = account(personas)
    return sign_in(Client(), acc)


def test_status_in_plain_words_and_did_you_get_the_help(personas, me, sent, web):
    page = me.get("/my/referrals/").content.decode()
    assert "Justice Bridge Legal Aid" in page and "Sent. We wait for their reply." in page
    assert "Did you get the help?" not in page  # nothing to confirm before they said yes
    lawyer = personas.actor(personas.lawyer_b)
    sent = accept_referral(sent, actor=lawyer)
    sent = start_referral(sent, actor=lawyer)
    sent = complete_referral(sent, actor=lawyer, outcome="service_provided")
    page = me.get("/my/referrals/").content.decode()
    assert "They say it is done." in page and "Did you get the help?" in page
    assert me.post(f"/my/referrals/{sent.pk}/help/", {"answer": "partly"}).status_code == 302
    sent.refresh_from_db()
    assert sent.survivor_confirmation == "partly" and sent.survivor_confirmed_at is not None
    assert AuditEvent.objects.filter(action="referral.survivor_confirmation").exists()
    # Staff see it on the referral, beside the partner's "completed".
    staff_page = web(personas.navigator_a).get(f"/referrals/{sent.pk}/").content.decode()
    assert 'id="survivor-confirmation">Partly' in staff_page


def test_unknown_answer_changes_nothing(personas, me, sent):
    me.post(f"/my/referrals/{sent.pk}/help/", {"answer": "maybe"})
    sent.refresh_from_db()
    assert sent.survivor_confirmation == ""


def test_each_referral_says_when_it_was_sent(personas, me, sent):
    from django.utils import timezone, translation
    from django.utils.formats import date_format

    sent.refresh_from_db()
    page = me.get("/my/referrals/").content.decode()
    day = date_format(timezone.localtime(sent.sent_at), "DATE_FORMAT")
    assert f"We sent you there on {day}." in page
    me.post("/my/language/", {"language": "es", "next": "/my/referrals/"})
    page = me.get("/my/referrals/").content.decode()
    with translation.override("es"):
        day = date_format(timezone.localtime(sent.sent_at), "DATE_FORMAT")
    assert f"Le enviamos allí el {day}." in page and " de " in day
