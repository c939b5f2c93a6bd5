"""Migration consent 0002: a consent that shared demographics shared the languages with it, so
it gains "communication" (and nothing else); backwards removes it again."""

from datetime import timedelta
from importlib import import_module

from django.apps import apps
from django.utils import timezone

from wayfinder.consent.actions import ConsentRequest, Signature, create_consent
from wayfinder.consent.models import Consent

migration = import_module("wayfinder.consent.migrations.0002_communication_category")


def _consent(personas, categories):
    return create_consent(
        personas.survivor,
        ConsentRequest(
            recipient_agency=personas.legal,
            purposes=["referral"],
            categories=categories,
            expires_at=timezone.now() + timedelta(days=30),
            method="electronic_signature",
            signature=Signature(kind="typed", typed_name="A. R."),
            explained_not_a_condition=True,
        ),
        actor=personas.actor(personas.navigator_a),
    )


def test_demographics_consents_gain_communication_and_lose_it_backwards(personas):
    with_demo = _consent(personas, ["identity", "demographics"])
    without = _consent(personas, ["identity", "legal"])
    migration.forwards(apps, None)
    assert Consent.objects.get(pk=with_demo.pk).categories == [
        "identity",
        "demographics",
        "communication",
    ]
    assert Consent.objects.get(pk=without.pk).categories == ["identity", "legal"]
    migration.forwards(apps, None)  # idempotent
    assert Consent.objects.get(pk=with_demo.pk).categories.count("communication") == 1
    migration.backwards(apps, None)
    assert Consent.objects.get(pk=with_demo.pk).categories == ["identity", "demographics"]
