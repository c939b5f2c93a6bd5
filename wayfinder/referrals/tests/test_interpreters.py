"""Referrals and interpreters (issue 17, item 4): the form asks who interpreted when it applies
and says whether an interpreter will be needed; the partner sees the language and the need
prominently, only under the "communication" consent category."""

import pytest
from django.urls import reverse

from wayfinder.audit.models import AuditEvent
from wayfinder.core.interpretation import InterpreterAnswer
from wayfinder.directory.models import Language
from wayfinder.people.models import Person
from wayfinder.referrals.actions import ReferralRequest, create_referral
from wayfinder.referrals.models import Referral
from wayfinder.referrals.tests.factories import referral_consent


@pytest.fixture
def vietnamese(personas):
    Person.objects.filter(pk=personas.survivor.pk).update(
        preferred_languages=["vie"], interpreter_needed="yes"
    )
    personas.survivor.refresh_from_db()
    return personas.survivor


def test_the_form_asks_who_interpreted_and_says_an_interpreter_will_be_needed(
    personas, web, legal_service, vietnamese
):
    Language.objects.create(id="legal-en", service=legal_service, code="en")
    client = web(personas.navigator_a)
    url = reverse("referral_create", args=[vietnamese.pk]) + f"?service={legal_service.pk}"
    html = client.get(url).content.decode()
    assert "Who interpreted?" in html
    assert "An interpreter will be needed (Vietnamese); this service lists none" in html
    Language.objects.create(id="legal-vi", service=legal_service, code="vi")
    assert "Staff speak Vietnamese" in client.get(url).content.decode()


def test_the_form_does_not_ask_when_the_person_speaks_the_staff_language(
    personas, web, legal_service
):
    url = reverse("referral_create", args=[personas.survivor.pk])
    html = web(personas.navigator_a).get(f"{url}?service={legal_service.pk}").content.decode()
    assert "Who interpreted?" not in html


def test_who_interpreted_is_recorded_with_the_referral_and_its_audit_event(
    personas, nav, web, legal_service, vietnamese
):
    referral_consent(personas, personas.legal, ["identity", "legal", "communication"])
    referral = create_referral(
        vietnamese,
        ReferralRequest(
            service=legal_service,
            interpreter=InterpreterAnswer("interpreted", "phone", "vie", "other", "Language Line"),
        ),
        actor=nav,
    )
    referral = Referral.objects.get(pk=referral.pk)
    assert (referral.interpretation, referral.interpreter_mode) == ("interpreted", "phone")
    event = AuditEvent.objects.get(action="referral.create")
    assert event.detail["interpreter_mode"] == "phone"
    page = web(personas.navigator_a).get(reverse("referral_detail", args=[referral.pk]))
    assert "By phone · Vietnamese · Language Line" in page.content.decode()
    partner = web(personas.lawyer_b).get(reverse("referral_detail", args=[referral.pk]))
    assert 'id="referral-interpreter"' not in partner.content.decode()  # the sender's record


def test_the_partner_sees_the_language_and_the_interpreter_need(
    personas, nav, web, legal_service, vietnamese
):
    referral_consent(personas, personas.legal, ["identity", "legal", "communication"])
    referral = create_referral(vietnamese, ReferralRequest(service=legal_service), actor=nav)
    lawyer = web(personas.lawyer_b)
    page = lawyer.get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert 'id="language-need"' in page
    banner = page.split('id="language-need"')[1].split("</p>")[0]
    assert "Vietnamese" in banner and "An interpreter will be needed" in banner
    inbox = lawyer.get(reverse("referral_inbox")).content.decode()
    assert "Vietnamese · An interpreter will be needed (Vietnamese); this service" in inbox
    assert AuditEvent.objects.filter(action="referral.inbox_disclose").exists()


def test_without_the_communication_category_the_partner_sees_no_language(
    personas, nav, web, legal_service, vietnamese
):
    referral_consent(personas, personas.legal, ["identity", "legal"])
    referral = create_referral(vietnamese, ReferralRequest(service=legal_service), actor=nav)
    lawyer = web(personas.lawyer_b)
    page = lawyer.get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert "Vietnamese" not in page and 'id="language-need"' not in page
    inbox = lawyer.get(reverse("referral_inbox")).content.decode()
    assert "Vietnamese" not in inbox
    assert not AuditEvent.objects.filter(action="referral.inbox_disclose").exists()


def test_the_step_and_the_line_are_in_spanish(personas, client, legal_service, vietnamese):
    client.force_login(personas.navigator_a)
    url = reverse("referral_create", args=[vietnamese.pk]) + f"?service={legal_service.pk}"
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "¿Quién interpretó?" in html and "Agencias de la red" in html
    assert "Hará falta un intérprete (vietnamita); este servicio no indica ninguno" in html
    assert "Who interpreted" not in html and "An interpreter will be needed" not in html


def test_the_inbox_reads_and_audits_every_language_need_in_the_same_queries(
    personas, nav, web, legal_service, vietnamese
):
    """However many referrals it lists with a language need, the inbox makes the same queries:
    the services' languages are read together and the events appended together, each row still
    with its own event and the line the referral page would show."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wayfinder.audit.events import verify
    from wayfinder.directory.actions import set_service_facts
    from wayfinder.directory.models import Service
    from wayfinder.referrals.queries import interpreter_line

    referral_consent(personas, personas.legal, ["identity", "legal", "communication"])
    org = legal_service.organization
    speaks = Service.objects.create(id="svc-vi", organization=org, name="Speaks Vietnamese")
    Language.objects.create(id="svc-vi-lang", service=speaks, code="vi")
    feature = Service.objects.create(id="svc-int", organization=org, name="Interpreters")
    set_service_facts(feature, actor=None, features={"interpreter_available": True})
    text = Service.objects.create(
        id="svc-txt", organization=org, name="Phone line", interpretation_services="Phone"
    )
    for service in (speaks, feature, text, legal_service):
        set_service_facts(service, actor=None, categories=["legal_civil"])
    lawyer = web(personas.lawyer_b)

    def inbox_queries() -> int:
        lawyer.get(reverse("referral_inbox"))
        with CaptureQueriesContext(connection) as queries:
            assert lawyer.get(reverse("referral_inbox")).status_code == 200
        return len(queries)

    services = [legal_service, speaks, feature, text]
    create_referral(vietnamese, ReferralRequest(service=services[0]), actor=nav)
    one = inbox_queries()
    for service in services[1:]:
        create_referral(vietnamese, ReferralRequest(service=service), actor=nav)
    before = AuditEvent.objects.filter(action="referral.inbox_disclose").count()
    assert inbox_queries() == one
    after = AuditEvent.objects.filter(action="referral.inbox_disclose")
    assert after.count() - before == 4 * 2  # the warm-up and the counted request
    assert verify().ok
    html = lawyer.get(reverse("referral_inbox")).content.decode()
    for referral in Referral.objects.filter(person=vietnamese):
        line = interpreter_line(referral, ["vie"], "yes")
        assert f"Vietnamese · {line}" in html
    assert "Staff speak Vietnamese" in html
    assert html.count("the service offers interpretation") == 2
    assert "this service lists none" in html
