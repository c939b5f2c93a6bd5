"""Every write to a person's record. Each runs in one transaction and writes its audit event."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wayfinder.accounts.actor import Actor
from wayfinder.accounts.models import CASEWORK_ROLES, Membership, User
from wayfinder.audit.events import record
from wayfinder.core import crypto
from wayfinder.core.errors import CodedError
from wayfinder.people.errors import PersonErrorCode as Code
from wayfinder.people.models import (
    FIELD_CATEGORIES,
    PLAIN_FIELDS,
    CareTeamMember,
    Identity,
    Person,
    new_pseudonym,
)
from wayfinder.people.sealing import IDENTITY_PURPOSE, identities, identity_under


def _seal_identity(person: Person, identity: Identity, key: bytes) -> None:
    person.identity_ct = crypto.encrypt_json(person.pk, key, identity.to_json(), IDENTITY_PURPOSE)
    crypto.set_blind_indexes(
        person.pk,
        person.owner_agency_id,
        [identity.chosen_name, identity.legal_name, *identity.aliases],
        identity.date_of_birth,
    )


def reindex_names(batch: int = 500) -> int:
    """Rebuild every readable person's blind indexes (names, name prefixes, date of birth).

    For operators, after the index design changes (``manage.py reindex_names``): the indexes
    hold HMACs only, recomputed from each person's own encrypted identity. Forgotten persons,
    whose keys are gone, are skipped. Returns the number of persons re-indexed.
    """
    done = 0
    qs = Person.objects.filter(forgotten_at__isnull=True, identity_ct__isnull=False).order_by("pk")
    last = None
    while True:
        page = list((qs.filter(pk__gt=last) if last else qs)[:batch])
        if not page:
            return done
        readable = identities(page)
        with transaction.atomic(using="keystore"):
            for person in page:
                identity = readable.get(person.pk)
                if identity is None:
                    continue
                crypto.set_blind_indexes(
                    person.pk,
                    person.owner_agency_id,
                    [identity.chosen_name, identity.legal_name, *identity.aliases],
                    identity.date_of_birth,
                )
                done += 1
        last = page[-1].pk


def _check_plain(plain: dict) -> None:
    unknown = set(plain) - set(PLAIN_FIELDS) - {"declined"}
    if unknown:
        raise ValueError(f"unknown person fields: {sorted(unknown)}")


EARLIEST_YEAR = (
    1900  # a date of birth, a year of birth or an end of exploitation before it is a typo
)


def check_intake(identity: Identity | None, plain: dict) -> None:
    """The rules for a record's fields, for every way in: the intake form, the API, the demo.

    ``create_person`` and ``update_person`` call it, and ``PersonForm`` calls it to show the
    errors next to its fields, so the rules cannot drift apart. Raises coded field errors.
    """
    errors = []
    today = timezone.localdate()
    dob = identity.date_of_birth if identity is not None else None
    for name, value in (
        ("date_of_birth", dob),
        ("exploitation_ended_on", plain.get("exploitation_ended_on")),
    ):
        if not isinstance(value, date):
            continue
        if value > today:
            errors.append(
                CodedError(Code.DATE_IN_FUTURE, _("This date is in the future."), field=name)
            )
        elif value.year < EARLIEST_YEAR:
            errors.append(
                CodedError(
                    Code.DATE_TOO_EARLY,
                    _("Give a date in %(year)s or later.") % {"year": EARLIEST_YEAR},
                    field=name,
                )
            )
    year = plain.get("birth_year")
    if isinstance(year, int) and not EARLIEST_YEAR <= year <= today.year:
        errors.append(
            CodedError(
                Code.BIRTH_YEAR_INVALID,
                _("Give a year from %(first)s to %(last)s.")
                % {"first": EARLIEST_YEAR, "last": today.year},
                field="birth_year",
            )
        )
    elif isinstance(dob, date) and isinstance(year, int) and dob.year != year:
        errors.append(
            CodedError(
                Code.BIRTH_YEAR_MISMATCH,
                _("The year does not match the date of birth."),
                field="birth_year",
            )
        )
    languages = plain.get("preferred_languages") or []
    if len(set(languages)) != len(languages):
        errors.append(
            CodedError(
                Code.LANGUAGE_REPEATED,
                _("Each language only once, please."),
                field="preferred_languages",
            )
        )
    CodedError.raise_any(errors)


def _check_name(identity: Identity) -> None:
    # The form's own "required" check shows this first; the API's schema refuses an empty name.
    if not identity.chosen_name.strip():
        raise CodedError(Code.NAME_REQUIRED, _("A name or alias is required."), field="chosen_name")


def _unique_pseudonym() -> str:
    while True:
        candidate = new_pseudonym()
        if not Person.objects.filter(pseudonym=candidate).exists():
            return candidate


@transaction.atomic
def create_person(*, actor: Actor, identity: Identity, **plain) -> Person:
    """Take in a person at the actor's agency; the actor becomes the lead of the care team."""
    if not actor.can_intake or actor.agency is None:
        raise PermissionDenied
    _check_plain(plain)
    _check_name(identity)
    check_intake(identity, plain)
    person = Person(
        owner_agency=actor.agency, created_by=actor.user, pseudonym=_unique_pseudonym(), **plain
    )
    key = crypto.create_data_key(person.pk, actor.agency.pk)
    _seal_identity(person, identity, key)
    person.save()
    CareTeamMember.objects.create(
        person=person, user=actor.user, agency=actor.agency, is_lead=True, added_by=actor.user
    )
    record(
        "person.create",
        category="people",
        actor=actor,
        obj=person,
        person=person,
        categories=sorted({FIELD_CATEGORIES[f] for f in FIELD_CATEGORIES}),
    )
    return person


@transaction.atomic
def update_person(
    person: Person, *, actor: Actor, identity: Identity | None = None, **plain
) -> Person:
    """Change the record; only the owning agency's casework staff may. Audits changed field names."""
    if actor.agency is None or person.owner_agency_id != actor.agency.pk or not actor.is_casework:
        raise PermissionDenied
    if person.is_forgotten:
        raise PermissionDenied
    _check_plain(plain)
    if identity is not None:
        _check_name(identity)
    check_intake(identity, plain)
    person = Person.objects.select_for_update().get(pk=person.pk)
    changed = sorted(f for f, v in plain.items() if getattr(person, f) != v)
    for f, v in plain.items():
        setattr(person, f, v)
    if identity is not None:
        key = crypto.data_key(person.pk)
        old = identity_under(person, key)
        changed += sorted(f for f in Identity.FIELDS if getattr(old, f) != getattr(identity, f))
        if old.declined != identity.declined:
            changed.append("declined")
        _seal_identity(person, identity, key)
    person.save()
    record(
        "person.update",
        category="people",
        actor=actor,
        obj=person,
        person=person,
        categories=sorted({FIELD_CATEGORIES.get(f, "demographics") for f in changed}),
        detail={"fields": changed},
    )
    return person


# What a forgotten record keeps (docs/architecture.md, "What a forgotten record keeps"): the code,
# the owning agency, and the month it was opened, for counts of people served that do not change
# after a forget. Every other column is emptied; every row of another table about them is deleted.
FORGOTTEN_KEEPS = ("id", "pseudonym", "owner_agency", "created_at", "updated_at", "forgotten_at")


def _month(moment):
    local = timezone.localtime(moment)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _delete_what_hangs_off(person: Person) -> dict[str, int]:
    """Delete every row of every table that points at the person (and what cascades from it):
    assessments and their answers, needs, consents, referrals, the plan, the care team."""
    deleted: dict[str, int] = {}
    for rel in Person._meta.related_objects:
        _total, per_model = rel.related_model._base_manager.filter(
            **{rel.field.name: person}
        ).delete()
        for label, count in per_model.items():
            if count:
                deleted[label.lower()] = deleted.get(label.lower(), 0) + count
    return dict(sorted(deleted.items()))


@transaction.atomic
def forget_person(person: Person, *, actor: Actor, confirmation: str) -> Person:
    """Crypto-shred the person and delete everything about them but the code, agency and month.

    Needs an agency admin of the owning agency, who types the pseudonym to confirm. Final in every
    copy once the KEK is rotated (``manage.py rotate_kek``, see ``people.keyrotation``).
    """
    if (
        not actor.is_agency_admin
        or actor.agency is None
        or person.owner_agency_id != actor.agency.pk
    ):
        raise PermissionDenied
    if confirmation.strip().upper() != person.pseudonym:
        raise CodedError(Code.CONFIRMATION_MISMATCH, _("Type the record code exactly to confirm."))
    person = Person.objects.select_for_update().get(pk=person.pk)
    deleted = _delete_what_hangs_off(person)
    for field in Person._meta.concrete_fields:
        if field.name not in FORGOTTEN_KEEPS:
            setattr(person, field.attname, None if field.null else field.get_default())
    person.created_at = _month(person.created_at)
    person.forgotten_at = timezone.now()  # exact: it dates the KEK rotation that makes it final
    person.save()
    record(
        "person.forget",
        category="people",
        actor=actor,
        obj=person,
        person=person,
        detail={"deleted": deleted},
    )
    # Last: the keystore is another database, whose delete commits at once. Anything above that
    # fails rolls back with the key intact; only a failing commit of this transaction itself
    # could leave the key gone with the record not yet marked, and forgetting again finishes it.
    crypto.destroy_data_key(person.pk)
    return person


def _check_team_manager(person: Person, actor: Actor) -> None:
    if actor.agency is None or person.owner_agency_id != actor.agency.pk or not actor.is_casework:
        raise PermissionDenied


@transaction.atomic
def add_care_team_member(
    person: Person, *, actor: Actor, user: User, agency, is_lead: bool = False
) -> CareTeamMember:
    """Add a staff member (any agency, casework role there) to the person's care team."""
    _check_team_manager(person, actor)
    if not Membership.objects.filter(
        user=user, agency=agency, is_active=True, role__in=CASEWORK_ROLES
    ).exists():
        raise CodedError(Code.NOT_CASEWORK, _("That person does not do casework at that agency."))
    if is_lead:
        person.care_team.filter(is_lead=True).update(is_lead=False)
    member, _created = CareTeamMember.objects.update_or_create(
        person=person,
        user=user,
        defaults={"agency": agency, "is_lead": is_lead, "added_by": actor.user},
    )
    record(
        "care_team.add",
        category="people",
        actor=actor,
        obj=member,
        person=person,
        detail={"user_id": user.pk, "agency_id": str(agency.pk), "lead": is_lead},
    )
    return member


@transaction.atomic
def remove_care_team_member(member: CareTeamMember, *, actor: Actor) -> None:
    _check_team_manager(member.person, actor)
    record(
        "care_team.remove",
        category="people",
        actor=actor,
        obj=member,
        person=member.person,
        detail={"user_id": member.user_id, "agency_id": str(member.agency_id)},
    )
    member.delete()


@transaction.atomic
def set_care_team_lead(member: CareTeamMember, *, actor: Actor) -> CareTeamMember:
    _check_team_manager(member.person, actor)
    member.person.care_team.filter(is_lead=True).exclude(pk=member.pk).update(is_lead=False)
    member.is_lead = True
    member.save(update_fields=["is_lead", "updated_at"])
    record(
        "care_team.lead",
        category="people",
        actor=actor,
        obj=member,
        person=member.person,
        detail={"user_id": member.user_id},
    )
    return member
