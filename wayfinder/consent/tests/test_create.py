"""Recording consent: every required element, coded errors, secrets sealed, uploads encrypted."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections
from django.utils import timezone

from wayfinder.audit.models import AuditEvent
from wayfinder.consent.actions import Signature
from wayfinder.consent.models import Consent
from wayfinder.consent.queries import consent_secrets, get_consent, read_artifact
from wayfinder.consent.tests.factories import PNG_1PX, consent

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"Ana Rivera signed this" * 3


def codes(exc: ValidationError) -> dict:
    return {field: [e.code for e in errs] for field, errs in exc.error_dict.items()}


def test_a_consent_is_recorded_with_its_audit_event(personas):
    c = consent(personas, personas.legal, ["identity", "legal"])
    assert c.recipient_agency == personas.legal and c.disclosing_agency == personas.lead
    assert c.categories == ["identity", "legal"] and c.purposes == ["care_coordination"]
    assert c.language == "spa" and c.form_language == "es"  # from the person's languages
    assert c.status() == "active" and not c.part2
    event = AuditEvent.objects.get(action="consent.create")
    assert event.object_id == str(c.pk) and event.categories == ["identity", "legal"]
    assert event.detail["recipient_agency_id"] == str(personas.legal.pk)
    assert "Ana" not in str(event.detail)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"expires_at": None}, "expires_at", "expiry_required"),
        ({"expires_at": timezone.now() - timedelta(days=1)}, "expires_at", "expiry_in_past"),
        ({"expires_at": timezone.now() + timedelta(days=400)}, "expires_at", "expiry_too_far"),
        ({"purposes": []}, "purposes", "purpose_required"),
        ({"purposes": ["marketing"]}, "purposes", "purpose_unknown"),
        ({"categories": []}, "categories", "category_required"),
        ({"categories": ["identity", "bank_details"]}, "categories", "category_unknown"),
        (
            {"explained_not_a_condition": False},
            "explained_not_a_condition",
            "not_a_condition_unconfirmed",
        ),
        ({"method": "written"}, "signature_kind", "signature_mismatch"),
        (
            {"signature": Signature(kind="typed", typed_name="  ")},
            "typed_name",
            "signature_missing",
        ),
        (
            {"method": "verbal_witnessed", "signature": Signature(kind="witnessed")},
            "witness_name",
            "witness_required",
        ),
        ({"grantor_capacity": "court_guardian"}, "grantor_name", "grantor_name_required"),
        (
            {"grantor_capacity": "guardian_of_minor", "grantor_name": "María López"},
            "minor_assent",
            "minor_assent_required",
        ),
        ({"language": "Spanish"}, "language", "language_invalid"),
        ({"form_language": "fr"}, "form_language", "form_language_invalid"),
    ],
)
def test_missing_or_bad_elements_are_refused_with_a_code(personas, changes, field, code):
    changes = dict(changes)
    categories = changes.pop("categories", ["identity"])
    with pytest.raises(ValidationError) as err:
        consent(personas, personas.legal, categories, **changes)
    assert code in codes(err.value)[field]
    assert not Consent.objects.exists()


def test_recipient_must_be_another_active_agency(personas):
    with pytest.raises(ValidationError) as err:
        consent(personas, personas.lead, ["identity"], recipient_agency=personas.lead)
    assert codes(err.value)["recipient_agency"] == ["recipient_invalid"]


def test_only_the_owning_agency_records_consent(personas):
    from wayfinder.consent.actions import ConsentRequest, create_consent

    for user in (personas.lawyer_b, personas.outsider_c, personas.analyst):
        with pytest.raises(PermissionDenied):
            create_consent(
                personas.survivor,
                ConsentRequest(
                    recipient_agency=personas.housing,
                    purposes=["referral"],
                    categories=["identity"],
                    expires_at=timezone.now() + timedelta(days=30),
                    method="electronic_signature",
                    signature=Signature(kind="typed", typed_name="x"),
                    explained_not_a_condition=True,
                ),
                actor=personas.actor(user),
            )


def test_a_guardian_consent_for_a_minor_keeps_the_guardian_name_sealed(personas):
    c = consent(
        personas,
        personas.legal,
        ["identity"],
        grantor_capacity="guardian_of_minor",
        grantor_name="María López",
        minor_assent=True,
    )
    assert c.minor_assent and consent_secrets(c)["grantor_name"] == "María López"
    with connections["default"].cursor() as cur:
        cur.execute("SELECT sealed_ct FROM consent_consent")
        raw = bytes(cur.fetchone()[0])
    assert b"L\xc3\xb3pez" not in raw and b"Mar" not in raw


def test_uploaded_form_is_encrypted_at_rest_and_only_the_owner_reads_it(personas, lawyer_on_team):
    c = consent(
        personas,
        personas.legal,
        ["identity"],
        method="written",
        signature=Signature(kind="upload", upload=PDF, upload_content_type="application/pdf"),
    )
    assert c.artifact_content_type == "application/pdf" and c.artifact_size == len(PDF)
    with connections["default"].cursor() as cur:
        cur.execute("SELECT artifact_ct FROM consent_consent")
        raw = bytes(cur.fetchone()[0])
    assert b"%PDF" not in raw and b"Ana Rivera" not in raw
    owner = personas.actor(personas.navigator_a)
    row, access = get_consent(owner, c.pk)
    assert read_artifact(owner, row, access) == PDF
    assert AuditEvent.objects.filter(action="consent.artifact_view").count() == 1
    lawyer = personas.actor(personas.lawyer_b)
    row, access = get_consent(lawyer, c.pk)
    assert read_artifact(lawyer, row, access) is None


@pytest.mark.parametrize(
    ("data", "content_type", "code"),
    [
        (b"MZ\x90\x00 not a pdf", "application/pdf", "artifact_type"),
        (PDF, "image/png", "artifact_type"),
        (b"", "application/pdf", "artifact_missing"),
        (b"%PDF-" + b"0" * (6 * 1024 * 1024), "application/pdf", "artifact_too_large"),
    ],
)
def test_uploads_are_checked_by_content(personas, data, content_type, code):
    with pytest.raises(ValidationError) as err:
        consent(
            personas,
            personas.legal,
            ["identity"],
            method="written",
            signature=Signature(kind="upload", upload=data, upload_content_type=content_type),
        )
    assert codes(err.value)["upload"] == [code]


def test_a_drawn_signature_is_sealed(personas):
    c = consent(
        personas, personas.legal, ["identity"], signature=Signature(kind="drawn", drawn_png=PNG_1PX)
    )
    assert consent_secrets(c)["drawn_png"] == PNG_1PX
    with pytest.raises(ValidationError) as err:
        consent(
            personas,
            personas.legal,
            ["identity"],
            signature=Signature(kind="drawn", drawn_png="data:image/png;base64,bm90IGEgcG5n"),
        )
    assert codes(err.value)["drawn_png"] == ["signature_invalid"]


def test_a_verbal_consent_needs_a_witness_and_is_recorded(personas):
    c = consent(
        personas,
        personas.legal,
        ["identity"],
        method="verbal_witnessed",
        signature=Signature(kind="witnessed", witness_name="Grace Okafor"),
    )
    assert c.signature_kind == "witnessed"
    assert consent_secrets(c)["witness_name"] == "Grace Okafor"
