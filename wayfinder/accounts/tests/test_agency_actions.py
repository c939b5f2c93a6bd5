"""Network admins add, edit and deactivate agencies; nobody else can."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wayfinder.accounts.actions import create_agency, deactivate_agency, update_agency
from wayfinder.accounts.actor import agencies_of
from wayfinder.accounts.models import AgencyKind
from wayfinder.audit.models import AuditEvent


def test_network_admin_adds_an_agency(personas):
    agency = create_agency(
        actor=personas.actor(personas.network_admin),
        name="  Riverbend Counseling ",
        kind=AgencyKind.MENTAL_HEALTH,
    )
    assert agency.name == "Riverbend Counseling" and agency.is_active
    event = AuditEvent.objects.get(action="agency.create", object_id=str(agency.pk))
    assert event.actor_id == personas.network_admin.pk


def test_names_are_unique_ignoring_case(personas):
    with pytest.raises(ValidationError) as exc:
        create_agency(
            actor=personas.actor(personas.network_admin),
            name="harbor light alliance",
            kind=AgencyKind.LEAD,
        )
    assert exc.value.code == "duplicate_agency"
    with pytest.raises(ValidationError):
        update_agency(
            personas.legal, actor=personas.actor(personas.network_admin), name="Northside HOUSING"
        )


def test_edit_records_which_fields_changed(personas):
    update_agency(
        personas.legal,
        actor=personas.actor(personas.network_admin),
        name="Justice Bridge Legal Aid",
        kind=AgencyKind.LEGAL_AID,
        is_victim_service_provider=True,
    )
    event = AuditEvent.objects.get(action="agency.update")
    assert event.detail == {"fields": ["is_victim_service_provider"]}
    personas.legal.refresh_from_db()
    assert personas.legal.is_victim_service_provider


def test_deactivated_agency_drops_out_for_its_staff(personas):
    deactivate_agency(personas.housing, actor=personas.actor(personas.network_admin))
    assert agencies_of(personas.outsider_c) == []
    assert AuditEvent.objects.filter(action="agency.deactivate").count() == 1


def test_cannot_deactivate_the_agency_you_work_for(personas):
    actor = personas.actor(personas.network_admin)
    with pytest.raises(ValidationError):
        deactivate_agency(personas.lead, actor=actor)
    with pytest.raises(ValidationError):
        update_agency(personas.lead, actor=actor, is_active=False)


@pytest.mark.parametrize("who", ["admin_a", "navigator_a", "outsider_c"])
def test_only_network_admins(personas, who):
    actor = personas.actor(getattr(personas, who))
    with pytest.raises(PermissionDenied):
        create_agency(actor=actor, name="X", kind=AgencyKind.HEALTH)
    with pytest.raises(PermissionDenied):
        update_agency(personas.legal, actor=actor, is_victim_service_provider=True)
    with pytest.raises(PermissionDenied):
        deactivate_agency(personas.legal, actor=actor)
