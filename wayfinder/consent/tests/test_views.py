"""Consent pages: history, recording (the form in the person's language), print, withdraw."""

from datetime import timedelta

import pytest
from django.utils import timezone

from wayfinder.access.gate import get_access
from wayfinder.audit.models import AuditEvent
from wayfinder.consent.actions import Signature
from wayfinder.consent.models import Consent
from wayfinder.consent.panels import person_panel
from wayfinder.consent.tests.factories import consent
from wayfinder.people.actions import create_person
from wayfinder.people.models import Identity

PDF = b"%PDF-1.4\n%%EOF\n"


def form_data(personas, **changes):
    today = timezone.localdate()
    data = {
        "recipient_agency": str(personas.legal.pk),
        "purposes": ["care_coordination"],
        "categories": ["identity", "legal"],
        "valid_from": today.isoformat(),
        "expires_on": (today + timedelta(days=90)).isoformat(),
        "method": "electronic_signature",
        "language": "spa",
        "form_language": "es",
        "grantor_capacity": "self",
        "signature_kind": "typed",
        "typed_name": "Ana Rivera",
        "signed_on": today.isoformat(),
        "explained_not_a_condition": "on",
    }
    data.update(changes)
    return data


def test_navigator_records_a_consent_through_the_form(personas, web):
    response = web(personas.navigator_a).post(
        f"/consent/person/{personas.survivor.pk}/new/", form_data(personas)
    )
    c = Consent.objects.get()
    assert response.status_code == 302 and response.url == f"/consent/{c.pk}/"
    assert c.categories == ["identity", "legal"] and c.signature_kind == "typed"
    # "Sharing ends after" a day: the consent runs to the end of that local day.
    last_day = timezone.localdate() + timedelta(days=90)
    assert timezone.localtime(c.expires_at).date() == last_day + timedelta(days=1)
    assert timezone.localtime(c.expires_at).hour == 0


def test_an_uploaded_signed_form_goes_through_the_form(personas, web):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = form_data(personas, method="written", signature_kind="upload", typed_name="")
    data["upload"] = SimpleUploadedFile("ana-rivera-consent.pdf", PDF, "application/pdf")
    client = web(personas.navigator_a)
    assert client.post(f"/consent/person/{personas.survivor.pk}/new/", data).status_code == 302
    c = Consent.objects.get()
    download = client.get(f"/consent/{c.pk}/signed-form/")
    assert download.status_code == 200 and download.content == PDF
    # The file name of the upload (a name!) is not kept; the download is named by record code.
    assert personas.survivor.pseudonym in download["Content-Disposition"]


def test_missing_answers_are_shown_next_to_the_fields(personas, web):
    response = web(personas.navigator_a).post(
        f"/consent/person/{personas.survivor.pk}/new/",
        form_data(personas, explained_not_a_condition="", typed_name=""),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Confirm that the person was told services do not depend on saying yes." in page
    assert "Type the name that serves as the signature." in page
    assert not Consent.objects.exists()


def test_the_form_is_in_spanish_for_a_spanish_speaker_and_says_consent_is_optional(personas, web):
    response = web(personas.navigator_a).get(f"/consent/person/{personas.survivor.pk}/new/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<article class="consent-text" lang="es"' in page
    assert "Permiso para compartir su información" in page
    assert "El consentimiento no es una condición para recibir servicios" in page
    assert "Puede dejar de compartir cuando quiera" in page
    # The staff part of the page stays in the staff member's language.
    assert "Record consent for" in page


def test_the_form_is_in_english_for_an_english_speaker(personas, web):
    person = create_person(
        actor=personas.actor(personas.navigator_a),
        identity=Identity(chosen_name="Jess"),
        preferred_languages=["eng"],
    )
    page = web(personas.navigator_a).get(f"/consent/person/{person.pk}/new/").content.decode()
    assert '<article class="consent-text" lang="en"' in page
    assert "Consent is not a condition of service" in page


def test_the_preview_follows_the_choices_in_the_chosen_language(personas, web):
    response = web(personas.navigator_a).post(
        f"/consent/person/{personas.survivor.pk}/preview/",
        {
            "recipient_agency": str(personas.legal.pk),
            "categories": ["identity", "substance_use"],
            "form_language": "es",
            "purposes": ["referral"],
        },
    )
    page = response.content.decode()
    assert "Justice Bridge Legal Aid" in page and "Su tratamiento por consumo de sustancias" in page
    assert "42 CFR Parte 2" in page and "por escrito en cualquier momento" in page


def test_the_printable_form_has_the_name_and_is_audited(personas, web):
    c = consent(personas, personas.legal, ["identity", "legal"])
    page = web(personas.navigator_a).get(f"/consent/{c.pk}/print/").content.decode()
    assert "Ana María Rivera López" in page and "Ana Rivera" in page  # name and typed signature
    assert "El consentimiento no es una condición" in page
    assert AuditEvent.objects.filter(action="consent.print", object_id=str(c.pk)).exists()
    blank = web(personas.navigator_a).post(
        f"/consent/person/{personas.survivor.pk}/form/", form_data(personas)
    )
    assert blank.status_code == 200 and "Firma" in blank.content.decode()


def test_withdrawal_from_the_page_is_one_step(personas, lawyer_on_team, web):
    c = consent(personas, personas.legal, ["identity"])
    client = web(personas.navigator_a)
    assert "Withdraw consent now" in client.get(f"/consent/{c.pk}/").content.decode()
    response = client.post(f"/consent/{c.pk}/withdraw/", {"channel": "in_person"})
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.revoked_via == "in_person" and c.revoked_recorded_by == personas.navigator_a


def test_withdrawal_without_a_channel_changes_nothing(personas, web):
    c = consent(personas, personas.legal, ["identity"])
    web(personas.navigator_a).post(f"/consent/{c.pk}/withdraw/", {})
    c.refresh_from_db()
    assert c.revoked_at is None


def test_partner_sees_its_consents_but_not_the_owner_only_pages(personas, lawyer_on_team, web):
    c = consent(
        personas,
        personas.legal,
        ["identity"],
        method="written",
        signature=Signature(kind="upload", upload=PDF, upload_content_type="application/pdf"),
    )
    other = consent(personas, personas.housing, ["identity"])
    client = web(personas.lawyer_b)
    listing = client.get(f"/consent/person/{personas.survivor.pk}/").content.decode()
    assert "Justice Bridge Legal Aid" in listing and "Northside Housing" not in listing
    assert client.get(f"/consent/{c.pk}/").status_code == 200
    for url in (
        f"/consent/{other.pk}/",
        f"/consent/person/{personas.survivor.pk}/new/",
        f"/consent/person/{personas.survivor.pk}/form/",
        f"/consent/{c.pk}/print/",
        f"/consent/{c.pk}/signed-form/",
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/consent/person/{person}/"),
        ("get", "/consent/person/{person}/new/"),
        ("post", "/consent/person/{person}/new/"),
        ("post", "/consent/person/{person}/preview/"),
        ("get", "/consent/person/{person}/form/"),
        ("get", "/consent/person/{person}/access-ended/"),
        ("get", "/consent/{consent}/"),
        ("get", "/consent/{consent}/print/"),
        ("get", "/consent/{consent}/signed-form/"),
        ("post", "/consent/{consent}/withdraw/"),
    ],
)
def test_outsider_gets_404_on_every_consent_page(personas, web, method, path):
    c = consent(personas, personas.legal, ["identity"])
    url = path.format(person=personas.survivor.pk, consent=c.pk)
    response = getattr(web(personas.outsider_c), method)(url, {"channel": "phone"})
    assert response.status_code == 404
    c.refresh_from_db()
    assert c.revoked_at is None and Consent.objects.count() == 1


def test_the_person_panel_shows_who_may_see_what(personas, lawyer_on_team, rf):
    consent(personas, personas.legal, ["identity", "legal"])
    consent(personas, personas.housing, ["contact"])
    owner = personas.actor(personas.navigator_a)
    request = rf.get("/")
    request.actor = owner
    panel = person_panel(request, get_access(owner, personas.survivor.pk))
    assert panel["template"] == "consent/panel.html" and panel["context"]["can_record"]
    assert len(panel["context"]["active"]) == 2
    lawyer = personas.actor(personas.lawyer_b)
    request.actor = lawyer
    panel = person_panel(request, get_access(lawyer, personas.survivor.pk))
    assert [c.recipient_agency for c in panel["context"]["active"]] == [personas.legal]
    assert not panel["context"]["can_record"]


def test_the_consent_history_page_has_a_fixed_number_of_queries(
    personas, web, django_assert_max_num_queries
):
    client = web(personas.navigator_a)
    url = f"/consent/person/{personas.survivor.pk}/"
    for agency in (personas.legal, personas.housing):
        consent(personas, agency, ["identity"])
    client.get(url)  # warm the session
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    for _ in range(6):
        consent(personas, personas.legal, ["legal"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_new_consent_form_ticks_no_purpose_for_the_person(personas, web):
    """Consent is opt-in: no sharing purpose is ticked before the person agrees to it."""
    import re

    url = f"/consent/person/{personas.survivor.pk}/new/"
    html = web(personas.navigator_a).get(url).content.decode()
    boxes = re.findall(r"<input[^>]*name=\"purposes\"[^>]*>", html)
    assert len(boxes) >= 2  # every purpose is offered ...
    assert not [b for b in boxes if " checked" in b]  # ... and none is ticked
    # The preview of the form text names no purpose until one is ticked.
    preview = web(personas.navigator_a).post(
        f"/consent/person/{personas.survivor.pk}/preview/",
        {"recipient_agency": str(personas.legal.pk), "form_language": "en"},
    )
    assert preview.context["preview"]["purpose_labels"] == []
    assert "Working together on your care" not in preview.content.decode()
    # Sending the form without a purpose is refused, with the field named.
    response = web(personas.navigator_a).post(url, form_data(personas, purposes=[]))
    assert response.status_code == 200 and not Consent.objects.exists()
    assert "purposes" in response.context["form"].errors


def test_the_purpose_ticked_is_the_purpose_recorded(personas, web):
    url = f"/consent/person/{personas.survivor.pk}/new/"
    web(personas.navigator_a).post(url, form_data(personas, purposes=["referral"]))
    assert Consent.objects.get().purposes == ["referral"]
