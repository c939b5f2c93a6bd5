"""Reads of person data, all through the gate (``wayfinder.core.access``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from wayfinder.accounts.actor import Actor
from wayfinder.audit.events import record
from wayfinder.audit.models import AuditEvent
from wayfinder.core import crypto
from wayfinder.core.access import Access, access_for, persons_for
from wayfinder.people.models import FIELD_CATEGORIES, PLAIN_FIELDS, Identity, Person

PSEUDONYM_RE = re.compile(r"^\s*(WF-?)?[0-9A-Z]{2,4}(-?[0-9A-Z]{0,2})?\s*$", re.IGNORECASE)


@dataclass
class PersonRow:
    person: Person
    name: str | None  # None when the viewer may not see names


def _identities(persons: list[Person]) -> dict:
    keys = crypto.data_keys(p.pk for p in persons)
    out = {}
    for p in persons:
        key = keys.get(p.pk)
        if key is not None and p.identity_ct is not None:
            out[p.pk] = Identity.from_json(
                crypto.decrypt_json(p.pk, key, p.identity_ct, "identity")
            )
    return out


def search_persons(actor: Actor, q: str = "") -> QuerySet[Person]:
    """Persons the actor may open, narrowed by record code or by exact name tokens."""
    qs = persons_for(actor).select_related("owner_agency")
    q = (q or "").strip()
    if not q:
        return qs
    if PSEUDONYM_RE.match(q) and any(c.isdigit() for c in q):
        code = q.upper().replace("WF-", "").replace("-", "")
        return qs.filter(pseudonym__contains=code[:4]).filter(pseudonym__contains=code[4:])
    tokens = crypto.name_tokens(q)
    if not tokens:
        return qs.none()
    agency_ids = list(qs.values_list("owner_agency_id", flat=True).distinct().order_by())
    matched: set = set()
    for agency_id in agency_ids:
        hits = crypto.blind_lookup(agency_id, "name", tokens)
        matched.update(pid for pid, n in hits.items() if n >= len(tokens))
    return qs.filter(pk__in=matched)


def person_page(
    actor: Actor, *, q: str = "", page: int = 1, per_page: int = 25
) -> tuple[Page, list[PersonRow]]:
    """One page of the person list, with names only where the viewer may see them (audited)."""
    qs = search_persons(actor, q).order_by("-created_at", "pk")
    page_obj = Paginator(qs, per_page).get_page(page)
    persons = list(page_obj.object_list)
    may_see = {
        p.pk
        for p in persons
        if p.owner_agency_id == actor.agency.pk
        or ((a := access_for(actor, p)) is not None and a.can("identity"))
    }
    identities = _identities([p for p in persons if p.pk in may_see])
    rows = [
        PersonRow(p, identities[p.pk].chosen_name if p.pk in identities else None) for p in persons
    ]
    if identities:
        record(
            "person.list",
            category="people",
            actor=actor,
            categories=["identity"],
            detail={
                "shown": [p.pseudonym for p in persons if p.pk in identities],
                "searched": bool(q),
            },
        )
    return page_obj, rows


def reveal_person(actor: Actor, access: Access) -> dict:
    """The fields this actor may see, decrypted, as {field: value}; the view is audited."""
    person = access.person
    shown = {f for f, cat in FIELD_CATEGORIES.items() if access.can(cat)}
    data: dict = {f: getattr(person, f) for f in PLAIN_FIELDS if f in shown}
    sealed = [f for f in Identity.FIELDS if f in shown]
    if sealed:
        identity = _identities([person]).get(person.pk)
        if identity is not None:
            data.update({f: getattr(identity, f) for f in sealed})
            data["declined"] = [f for f in identity.declined if f in shown]
    data["declined"] = sorted(
        set(data.get("declined", [])) | {f for f in person.declined if f in shown}
    )
    categories = sorted({FIELD_CATEGORIES[f] for f in shown})
    detail = {}
    if not access.is_owner:
        detail["consents"] = access.consent_ids_for(categories)
    record(
        "person.view",
        category="people",
        actor=actor,
        obj=person,
        person=person,
        categories=categories,
        detail=detail,
    )
    return data


def identity_of(person: Person) -> Identity | None:
    """Decrypt a person's identity for an action that already passed the gate (no audit)."""
    return _identities([person]).get(person.pk)


def likely_duplicates(actor: Actor, identity: Identity, *, exclude=None) -> list[Person]:
    """Persons at the actor's own agency who look like the same person (never across agencies).

    Likely = same date of birth and at least one name token, or every token of the chosen name.
    """
    if actor.agency is None:
        return []
    agency_id = actor.agency.pk
    chosen = crypto.name_tokens(identity.chosen_name)
    all_names = crypto.name_tokens(identity.chosen_name, identity.legal_name, *identity.aliases)
    name_hits = crypto.blind_lookup(agency_id, "name", all_names)
    chosen_hits = crypto.blind_lookup(agency_id, "name", chosen)
    dob_hits = (
        crypto.blind_lookup(agency_id, "dob", [identity.date_of_birth.isoformat()])
        if identity.date_of_birth
        else {}
    )
    ids = {pid for pid in name_hits if pid in dob_hits}
    ids |= {pid for pid, n in chosen_hits.items() if chosen and n >= len(chosen)}
    if exclude is not None:
        ids.discard(exclude.pk)
    return list(
        Person.objects.filter(
            pk__in=ids, owner_agency_id=agency_id, forgotten_at__isnull=True
        ).order_by("pseudonym")
    )


def access_history(person: Person) -> QuerySet[AuditEvent]:
    """Every audited look at or change to this person, newest first (for agency admins)."""
    return AuditEvent.objects.filter(person_pseudonym=person.pseudonym).order_by("-seq")
