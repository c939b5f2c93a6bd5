"""Who a plan step may be for: the agencies working with the person.

The owning agency, the agencies on the care team, every agency an active consent names, and
every agency another app says is working with the person (``plan_agencies`` on its AppConfig:
dotted paths to ``fn(person) -> set of agency ids``; the referrals app adds the agencies with
an open referral). Read at each use, so an ended consent or a closed referral drops out.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.module_loading import import_string

from wayfinder.accounts.models import Agency
from wayfinder.consent.models import Consent
from wayfinder.people.models import Person


def assignable_agency_ids(person: Person) -> set:
    ids = {person.owner_agency_id}
    ids |= set(person.care_team.values_list("agency_id", flat=True))
    ids |= set(
        Consent.objects.active()
        .filter(person_id=person.pk)
        .values_list("recipient_agency_id", flat=True)
    )
    for app in apps.get_app_configs():
        for path in getattr(app, "plan_agencies", ()):
            ids |= set(import_string(path)(person))
    return ids


def assignable_agencies(person: Person) -> list[Agency]:
    """The active agencies a step may be assigned to, by name."""
    return list(
        Agency.objects.filter(pk__in=assignable_agency_ids(person), is_active=True).order_by(
            "name", "pk"
        )
    )
