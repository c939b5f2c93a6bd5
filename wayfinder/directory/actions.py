"""Every write to the directory: import/export (audited) and Wayfinder's facts about a service.

Each action runs in one transaction, records its audit event (category ``directory``) and keeps
the match index in step (``index.reindex_services``).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wayfinder.audit.events import record
from wayfinder.core.errors import CodedError
from wayfinder.core.languages import language_name
from wayfinder.core.service_categories import ServiceCategory
from wayfinder.directory.errors import DirectoryErrorCode as Code
from wayfinder.directory.hsds import io as hsds_io
from wayfinder.directory.index import reindex_services
from wayfinder.directory.models import (
    Attribute,
    Language,
    Metadata,
    Service,
    ServiceCapacity,
    ServiceNote,
    ServiceStatus,
    Unit,
)
from wayfinder.directory.queries import can_edit_service, can_manage_directory
from wayfinder.directory.taxonomy import (
    CATEGORY_BY_TERM_ID,
    FAITH_BASED_TERM_ID,
    FEATURE_BY_TERM_ID,
    GENDER_BY_TERM_ID,
    GENDERS,
    NAMESPACE,
    Feature,
    StaffGender,
    category_term_id,
    ensure_wayfinder_taxonomy,
    feature_term_id,
    gender_term_id,
)

if TYPE_CHECKING:
    from wayfinder.accounts.actor import Actor

CATEGORY = "directory"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _via(actor) -> str:
    return "" if actor is not None else "command"


# --- import / export --------------------------------------------------------------------------


@transaction.atomic
def import_hsds(
    files: dict[str, bytes], *, actor: Actor | None, source: str = ""
) -> hsds_io.ImportResult:
    """Validate and import HSDS files (``{name: bytes}``), all or nothing.

    ``actor`` is None for the management command and the demo loader; a signed-in actor must be
    a network administrator. Raises ``hsds_io.HsdsImportError`` (nothing written) on bad input.
    """
    if actor is not None:
        _require(can_manage_directory(actor))
    plan = hsds_io.plan_import(files)
    result = hsds_io.apply_plan(plan)
    reindex_services(result.service_ids)
    record(
        "directory.import",
        category=CATEGORY,
        actor=actor,
        via=_via(actor),
        detail={
            "files": len(files),
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.total_unchanged,
            "warnings": len(result.warnings),
            "source": source[:100],
        },
    )
    return result


@transaction.atomic
def export_hsds(fmt: str, *, actor: Actor | None) -> dict[str, bytes]:
    """The whole public directory as HSDS ``json`` or ``csv`` files (no capacity, no notes)."""
    if actor is not None:
        _require(can_manage_directory(actor))
    if fmt == "json":
        files = hsds_io.export_json()
    elif fmt == "csv":
        files = hsds_io.export_csv()
    else:
        raise CodedError(Code.INVALID_FORMAT, _("Unknown export format."))
    record(
        "directory.export",
        category=CATEGORY,
        actor=actor,
        via=_via(actor),
        detail={"format": fmt, "files": len(files)},
    )
    return files


# --- Wayfinder's facts about a service ---------------------------------------------------------


def _attribute_id(service_id: str, term_id: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"attribute:{service_id}:{term_id}"))


@transaction.atomic
def set_service_facts(
    service: Service,
    *,
    actor: Actor | None,
    categories: list[str] | None = None,
    features: dict[str, bool | str] | None = None,
) -> Service:
    """Replace the service's Wayfinder categories and/or features (None leaves them as they are).

    ``features``: ``{"trauma_informed": True, "staff_gender": "women", ...}``; False or "" removes.
    """
    if actor is not None:
        _require(can_edit_service(actor, service))
    ensure_wayfinder_taxonomy()
    wanted: dict[str, str] = {}
    managed: set[str] = set()
    if categories is not None:
        managed |= set(CATEGORY_BY_TERM_ID)
        for c in categories:
            if c not in ServiceCategory.values:
                raise CodedError(Code.INVALID_CATEGORY, _("Unknown service category."))
            wanted[category_term_id(c)] = ""
    if features is not None:
        for name, value in features.items():
            if name not in Feature.values:
                raise CodedError(Code.INVALID_FEATURE, _("Unknown service feature."))
            managed.add(feature_term_id(name))
            if name == Feature.STAFF_GENDER:
                if value and value not in StaffGender.values:
                    raise CodedError(Code.INVALID_FEATURE, _("Unknown staff gender."))
                if value:
                    wanted[feature_term_id(name)] = str(value)
            elif value:
                wanted[feature_term_id(name)] = "true"
    current = {
        a.taxonomy_term_id: a
        for a in Attribute.objects.filter(link_id=service.id, taxonomy_term_id__in=managed)
    }
    for term_id, attribute in current.items():
        if term_id not in wanted:
            attribute.delete()
    for term_id, value in wanted.items():
        Attribute.objects.update_or_create(
            id=current[term_id].id if term_id in current else _attribute_id(service.id, term_id),
            defaults={
                "link_id": service.id,
                "link_entity": "service",
                "link_type": "service_category"
                if term_id in CATEGORY_BY_TERM_ID
                else "service_feature",
                "taxonomy_term_id": term_id,
                "value": value,
            },
        )
    Service.objects.filter(pk=service.pk).update(last_modified=timezone.now())
    reindex_services([service.id])
    record(
        "directory.service_facts",
        category=CATEGORY,
        actor=actor,
        via=_via(actor),
        obj=service,
        detail={
            "categories": sorted(
                CATEGORY_BY_TERM_ID[t] for t in wanted if t in CATEGORY_BY_TERM_ID
            ),
            "features": sorted(FEATURE_BY_TERM_ID[t] for t in wanted if t in FEATURE_BY_TERM_ID),
        },
    )
    return service


@transaction.atomic
def update_capacity(
    service: Service,
    *,
    actor: Actor | None,
    accepting_referrals: bool,
    waitlist_days: int | None = None,
    available: float | None = None,
    maximum: float | None = None,
    unit_name: str = "",
    description: str = "",
    as_of: datetime | None = None,
) -> ServiceCapacity:
    """Record the service's current capacity (private). ``updated`` is now, or ``as_of``: when
    figures reported earlier were true (a loader of past reports; never in the future)."""
    if actor is not None:
        _require(can_edit_service(actor, service))
    now = timezone.now()
    if as_of is not None and as_of > now:
        raise CodedError(Code.INVALID, _("Capacity cannot be dated in the future."))
    for value in (waitlist_days, available, maximum):
        if value is not None and value < 0:
            raise CodedError(Code.INVALID, _("Capacity figures cannot be negative."))
    if available is not None and maximum is not None and available > maximum:
        raise CodedError(Code.INVALID, _("Available cannot exceed the maximum."))
    unit = None
    if unit_name.strip():
        name = unit_name.strip()
        unit, _created = Unit.objects.get_or_create(
            id=str(uuid.uuid5(NAMESPACE, f"unit:{name.lower()}")), defaults={"name": name}
        )
    capacity = ServiceCapacity.objects.select_for_update().filter(service=service).first()
    if capacity is None:
        capacity = ServiceCapacity(
            id=str(uuid.uuid5(NAMESPACE, f"capacity:{service.id}")), service=service
        )
    capacity.unit = unit
    capacity.available = available
    capacity.maximum = maximum
    capacity.description = description
    capacity.waitlist_days = waitlist_days
    capacity.accepting_referrals = accepting_referrals
    capacity.updated = as_of or now
    capacity.save()
    reindex_services([service.id])
    record(
        "directory.capacity",
        category=CATEGORY,
        actor=actor,
        via=_via(actor),
        obj=service,
        detail={
            "accepting_referrals": accepting_referrals,
            "waitlist_days": waitlist_days,
            "available": available,
            "maximum": maximum,
        },
    )
    return capacity


@transaction.atomic
def add_internal_note(service: Service, *, actor: Actor, body: str) -> ServiceNote:
    """An internal note about a service, for network staff. Never about a person."""
    _require(actor.agency is not None and bool(actor.roles))
    body = body.strip()
    if not body:
        raise CodedError(Code.REQUIRED, _("The note is empty."))
    note = ServiceNote.objects.create(
        service=service, body=body, author=actor.user, agency=actor.agency
    )
    record(
        "directory.note",
        category=CATEGORY,
        actor=actor,
        obj=service,
        detail={"note_id": str(note.pk)},
    )
    return note


@transaction.atomic
def set_service_status(service: Service, *, actor: Actor | None, status: str) -> Service:
    """Change an HSDS service status (active, inactive, defunct, temporarily closed)."""
    if actor is not None:
        _require(can_edit_service(actor, service))
    if status not in ServiceStatus.values:
        raise CodedError(Code.INVALID_STATUS, _("Unknown service status."))
    old = service.status
    service.status = status
    service.last_modified = timezone.now()
    service.save(update_fields=["status", "last_modified", "updated_at"])
    reindex_services([service.id])
    record(
        "directory.service_status",
        category=CATEGORY,
        actor=actor,
        via=_via(actor),
        obj=service,
        detail={"from": old, "to": status},
    )
    return service


# --- a partner edits its own listing (directory pages) ------------------------------------------

LISTING_FIELDS = (
    "description",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "fees_description",
    "application_process",
    "interpretation_services",
    "alert",
)


@transaction.atomic
def update_service_listing(
    service: Service,
    *,
    actor: Actor | None,
    fields: dict | None = None,
    languages: list[str] | None = None,
    eligible_genders: list[str] | None = None,
    faith_based: bool | None = None,
) -> Service:
    """Change a service's own listing: HSDS text fields and ages, languages staff speak (ISO 639
    codes), the genders it is restricted to ([] = everyone) and whether it is faith-based. None
    leaves a part as it is. Each changed field gets an HSDS ``metadata`` row (its freshness).
    """
    if actor is not None:
        _require(can_edit_service(actor, service))
    service = Service.objects.select_for_update().get(pk=service.pk)
    fields = dict(fields or {})
    if set(fields) - set(LISTING_FIELDS):
        raise CodedError(Code.INVALID_FIELD, _("Unknown service field."))
    for age in ("minimum_age", "maximum_age"):
        if fields.get(age) is not None and not 0 <= fields[age] <= 120:
            raise CodedError(Code.INVALID_AGE, _("Ages run from 0 to 120."))
    low = fields.get("minimum_age", service.minimum_age)
    high = fields.get("maximum_age", service.maximum_age)
    if low is not None and high is not None and low > high:
        raise CodedError(Code.INVALID_AGE, _("The minimum age cannot be above the maximum age."))
    changes: list[tuple[str, str, str]] = []  # (field, previous, replacement)
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if getattr(service, name) != value:
            changes.append((name, str(getattr(service, name) or ""), str(value or "")))
            setattr(service, name, value)
    if languages is not None:
        codes = list(dict.fromkeys(c.strip().lower() for c in languages if c and c.strip()))
        if any(len(c) > 16 or not c.replace("-", "").isalnum() for c in codes):
            raise CodedError(Code.INVALID_LANGUAGE, _("Unknown language code."))
        own = Language.objects.filter(service=service, location=None, phone=None)
        before = sorted(own.values_list("code", flat=True))
        if before != sorted(codes):
            own.exclude(code__in=codes).delete()
            with translation.override("en"):
                for code in codes:
                    Language.objects.update_or_create(
                        id=str(uuid.uuid5(NAMESPACE, f"language:{service.id}:{code}")),
                        defaults={"service": service, "code": code, "name": language_name(code)},
                    )
            changes.append(("languages", ",".join(before), ",".join(sorted(codes))))
    wanted: dict[str, str] = {}
    managed: set[str] = set()
    if eligible_genders is not None:
        if set(eligible_genders) - set(GENDERS):
            raise CodedError(Code.INVALID_GENDER, _("Unknown gender."))
        managed |= set(GENDER_BY_TERM_ID)
        wanted |= {gender_term_id(g): "" for g in eligible_genders}
    if faith_based is not None:
        managed.add(FAITH_BASED_TERM_ID)
        if faith_based:
            wanted[FAITH_BASED_TERM_ID] = "true"
    if managed:
        current = dict(
            Attribute.objects.filter(link_id=service.id, taxonomy_term_id__in=managed).values_list(
                "taxonomy_term_id", "id"
            )
        )
        if set(current) != set(wanted):
            Attribute.objects.filter(
                link_id=service.id, taxonomy_term_id__in=set(current) - set(wanted)
            ).delete()
            for term, value in wanted.items():
                if term not in current:
                    Attribute.objects.create(
                        id=_attribute_id(service.id, term),
                        link_id=service.id,
                        link_entity="service",
                        link_type="eligibility" if term in GENDER_BY_TERM_ID else "service_feature",
                        taxonomy_term_id=term,
                        value=value,
                    )
            changes.append(("attributes", "", ""))
    if not changes:
        return service
    now = timezone.now()
    service.last_modified = now
    service.save()
    by = actor.agency.name if actor is not None and actor.agency else "Wayfinder"
    Metadata.objects.bulk_create(
        Metadata(
            id=str(uuid.uuid4()),
            resource_id=service.id,
            resource_type="service",
            last_action_date=now.isoformat(),
            last_action_type="update",
            field_name=name,
            previous_value=previous[:1000],
            replacement_value=replacement[:1000],
            updated_by=by,
        )
        for name, previous, replacement in changes
        if name != "attributes"
    )
    reindex_services([service.id])
    record(
        "directory.service_listing",
        category=CATEGORY,
        actor=actor,
        via=_via(actor),
        obj=service,
        detail={"fields": [name for name, _p, _r in changes]},
    )
    return service
