"""A service delivered may name the referral it fulfils: one the actor's agency sent or received."""

from __future__ import annotations

import pytest
from django.utils import timezone

from wayfinder.delivery.models import ServiceDelivery
from wayfinder.referrals.tests.conftest import (  # noqa: F401 - fixtures
    legal_consent,
    legal_service,
    needs,
    referral,
)

pytestmark = pytest.mark.django_db


def test_the_form_offers_the_referral_and_links_the_service(personas, web, referral):  # noqa: F811
    page = web(personas.navigator_a)
    url = f"/services/person/{personas.survivor.pk}/"
    assert referral.reference in page.get(url).content.decode()
    response = page.post(
        url,
        {
            "category": "legal_civil",
            "delivered_on": timezone.localdate().isoformat(),
            "quantity": 1,
            "unit": "sessions",
            "referral_id": str(referral.pk),
        },
    )
    assert response.status_code == 302
    assert ServiceDelivery.objects.get().referral_id == referral.pk


def test_a_referral_of_another_agency_is_not_offered(personas, web, referral):  # noqa: F811
    page = web(personas.outsider_c)
    assert page.get(f"/services/person/{personas.survivor.pk}/").status_code == 404
