"""Recording a service delivered: one action, one audit event, the referral consent rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from wayfinder.audit.models import AuditEvent
from wayfinder.core.errors import CodedError
from wayfinder.delivery.actions import record_service
from wayfinder.delivery.models import ServiceDelivery

pytestmark = pytest.mark.django_db


def _record(personas, user, **kw):
    return record_service(
        personas.survivor,
        actor=personas.actor(user),
        category=kw.pop("category", "case_management"),
        delivered_on=kw.pop("delivered_on", timezone.localdate()),
        quantity=kw.pop("quantity", 45),
        unit=kw.pop("unit", "minutes"),
        **kw,
    )


def test_lead_staff_record_a_service_with_its_audit_event(personas):
    service = _record(personas, personas.navigator_a)
    assert service.agency == personas.navigator_a.memberships.first().agency
    event = AuditEvent.objects.get(action="delivery.recorded", object_id=str(service.pk))
    assert event.categories == ["needs"]
    assert event.person_pseudonym == personas.survivor.pseudonym


def test_a_substance_use_service_is_audited_under_part_2(personas):
    service = _record(personas, personas.navigator_a, category="substance_use")
    event = AuditEvent.objects.get(action="delivery.recorded", object_id=str(service.pk))
    assert event.categories == ["needs", "substance_use"]


@pytest.mark.parametrize("who", ["outsider_c", "lawyer_b", "analyst"])
def test_no_consent_no_recording(personas, who):
    with pytest.raises(PermissionDenied):
        _record(personas, getattr(personas, who))
    assert not ServiceDelivery.objects.exists()


def test_a_future_date_is_refused(personas):
    with pytest.raises(CodedError) as exc:
        _record(
            personas, personas.navigator_a, delivered_on=timezone.localdate() + timedelta(days=1)
        )
    assert exc.value.code == "delivery_date_in_future"


def test_an_unknown_referral_is_refused(personas):
    import uuid

    with pytest.raises(CodedError) as exc:
        _record(personas, personas.navigator_a, referral_id=uuid.uuid4())
    assert exc.value.code == "delivery_referral_unknown"


def test_page_and_api(personas, web, api_as):
    page = web(personas.navigator_a)
    url = f"/services/person/{personas.survivor.pk}/"
    response = page.post(
        url,
        {
            "category": "housing",
            "delivered_on": timezone.localdate().isoformat(),
            "quantity": 3,
            "unit": "nights",
        },
    )
    assert response.status_code == 302
    assert "Transitional or permanent housing" in page.get(url).content.decode()
    api = api_as(personas.navigator_a)
    created = api.post(
        f"/api/v1/delivery/persons/{personas.survivor.pk}/services/",
        {
            "category": "legal_civil",
            "delivered_on": timezone.localdate().isoformat(),
            "quantity": 1,
            "unit": "sessions",
        },
    )
    assert created.status_code == 201, created.content
    listed = api.get(f"/api/v1/delivery/persons/{personas.survivor.pk}/services/").json()
    assert sorted(r["category"] for r in listed) == ["housing", "legal_civil"]


@pytest.mark.parametrize("who", ["outsider_c", "analyst"])
def test_outsiders_get_404(personas, web, api_as, who):
    user = getattr(personas, who)
    assert web(user).get(f"/services/person/{personas.survivor.pk}/").status_code == 404
    assert (
        api_as(user).get(f"/api/v1/delivery/persons/{personas.survivor.pk}/services/").status_code
        == 404
    )


def test_a_partner_records_under_its_consent_categories(personas):
    """Like a referral: "needs" covers case management; civil legal aid also needs "legal"."""
    from wayfinder.people.actions import add_care_team_member
    from wayfinder.referrals.tests.factories import referral_consent

    legal = personas.legal
    add_care_team_member(
        personas.survivor,
        actor=personas.actor(personas.navigator_a),
        user=personas.lawyer_b,
        agency=legal,
    )
    referral_consent(personas, legal, ["needs"], purposes=("care_coordination",))
    service = _record(personas, personas.lawyer_b)
    assert service.agency == legal
    with pytest.raises(CodedError) as exc:
        _record(personas, personas.lawyer_b, category="legal_civil")
    assert exc.value.code == "delivery_category_not_consented"
