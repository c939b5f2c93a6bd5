"""Referral test data, made with the real actions (directory listings are plain HSDS rows)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from wayfinder.accounts.actions import update_agency
from wayfinder.consent.actions import ConsentRequest, Signature, create_consent
from wayfinder.directory.actions import set_service_facts
from wayfinder.directory.models import Organization, Service

PART2 = {
    "substance_use_description": "That a referral to treatment is made.",
    "part2_revocation_explained": True,
}


def listing(org_id: str, name: str, categories, *, service_name="", email="") -> Service:
    """An organisation with one active service offering ``categories``."""
    org = Organization.objects.create(
        id=org_id, name=name, description=f"{name} (test)", email=email
    )
    service = Service.objects.create(
        id=f"{org_id}-svc", organization=org, name=service_name or f"{name} service"
    )
    set_service_facts(service, actor=None, categories=list(categories))
    return service


def link(personas, agency, service: Service) -> None:
    """The agency lists itself as the service's organisation (network admin)."""
    update_agency(
        agency,
        actor=personas.actor(personas.network_admin),
        directory_organization_id=service.organization_id,
    )


def referral_consent(
    personas, agency, categories, *, person=None, days=90, purposes=("referral",), **extra
):
    """The survivor's typed e-signature consent, recorded by ``navigator_a``."""
    return create_consent(
        person or personas.survivor,
        ConsentRequest(
            recipient_agency=agency,
            purposes=list(purposes),
            categories=list(categories),
            expires_at=timezone.now() + timedelta(days=days),
            method="electronic_signature",
            signature=Signature(kind="typed", typed_name="Ana Rivera"),
            explained_not_a_condition=True,
            **extra,
        ),
        actor=personas.actor(personas.navigator_a),
    )
