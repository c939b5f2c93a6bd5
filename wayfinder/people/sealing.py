"""Seal and unseal a person's data under their data key (for any app that stores personal text)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wayfinder.core import crypto

if TYPE_CHECKING:
    from wayfinder.people.models import Person


def seal(person: Person, data: dict, purpose: str) -> bytes:
    """Encrypt ``data`` (JSON-able) for this person; ``purpose`` names what it is, e.g. "note"."""
    return crypto.encrypt_json(person.pk, crypto.data_key(person.pk), data, purpose)


def unseal(person: Person, blob: bytes | None, purpose: str) -> dict | None:
    """Decrypt, or None when there is nothing or the person has been forgotten."""
    if blob is None:
        return None
    try:
        key = crypto.data_key(person.pk)
    except crypto.KeyDestroyed:
        return None
    return crypto.decrypt_json(person.pk, key, blob, purpose)


def unseal_many(persons, blobs: dict, purpose: str) -> dict:
    """{person id: dict} for many persons with one keystore query. ``blobs``: {person id: bytes}."""
    keys = crypto.data_keys(p.pk for p in persons)
    out = {}
    for p in persons:
        blob, key = blobs.get(p.pk), keys.get(p.pk)
        if blob is not None and key is not None:
            out[p.pk] = crypto.decrypt_json(p.pk, key, blob, purpose)
    return out
