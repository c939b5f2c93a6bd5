"""Seal and unseal a person's data under their data key: the one path for all decryption.

Every app that stores personal text seals it here and reads it back here, naming what it is with a
``purpose`` constant of its own (e.g. ``plans.actions.GOAL_PURPOSE``); the purpose is bound into
the ciphertext, so a blob cannot be read as something else. Identity has its own helpers
(``identity_of``, ``identities``) because several apps need the decrypted ``Identity``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from wayfinder.core import crypto
from wayfinder.people.models import Identity

if TYPE_CHECKING:
    from wayfinder.people.models import Person

IDENTITY_PURPOSE = "identity"


def seal(person: Person, data: dict, purpose: str) -> bytes:
    """Encrypt ``data`` (JSON-able) for this person; ``purpose`` names what it is, e.g. "note"."""
    return crypto.encrypt_json(person.pk, crypto.data_key(person.pk), data, purpose)


def unseal(person: Person, blob: bytes | memoryview | None, purpose: str) -> dict | None:
    """Decrypt, or None when there is nothing or the person has been forgotten."""
    if blob is None:
        return None
    try:
        key = crypto.data_key(person.pk)
    except crypto.KeyDestroyed:
        return None
    return crypto.decrypt_json(person.pk, key, bytes(blob), purpose)


def unseal_bytes(person: Person, blob: bytes | memoryview | None, purpose: str) -> bytes | None:
    """Decrypt raw bytes (an uploaded file), or None when there is nothing or the key is gone."""
    if blob is None:
        return None
    try:
        key = crypto.data_key(person.pk)
    except crypto.KeyDestroyed:
        return None
    return crypto.decrypt(person.pk, key, bytes(blob), purpose)


def unseal_texts(person: Person, blobs: dict, purpose: str) -> dict:
    """{key: text} for several sealed {"text": ...} blobs of one person (one keystore read)."""
    if not blobs:
        return {}
    try:
        key = crypto.data_key(person.pk)
    except crypto.KeyDestroyed:
        return {}
    return {
        k: crypto.decrypt_json(person.pk, key, bytes(blob), purpose).get("text", "")
        for k, blob in blobs.items()
    }


def unseal_many(persons, blobs: dict, purpose: str) -> dict:
    """{person id: dict} for many persons with one keystore query. ``blobs``: {person id: bytes}."""
    keys = crypto.data_keys(p.pk for p in persons)
    out = {}
    for p in persons:
        blob, key = blobs.get(p.pk), keys.get(p.pk)
        if blob is not None and key is not None:
            out[p.pk] = crypto.decrypt_json(p.pk, key, bytes(blob), purpose)
    return out


def unseal_rows(items: Iterable, attr: str, purpose: str) -> dict:
    """{item pk: dict} decrypting ``attr`` of many rows that have a ``person_id`` (one keystore
    query for all their persons)."""
    items = list(items)
    keys = crypto.data_keys({i.person_id for i in items})
    out = {}
    for item in items:
        key = keys.get(item.person_id)
        if key is not None:
            out[item.pk] = crypto.decrypt_json(item.person_id, key, getattr(item, attr), purpose)
    return out


def identities(persons: list[Person]) -> dict:
    """{person id: Identity} for the persons whose identity can still be read (one keystore query)."""
    keys = crypto.data_keys(p.pk for p in persons)
    out = {}
    for p in persons:
        key = keys.get(p.pk)
        if key is not None and p.identity_ct is not None:
            out[p.pk] = Identity.from_json(
                crypto.decrypt_json(p.pk, key, p.identity_ct, IDENTITY_PURPOSE)
            )
    return out


def identity_under(person: Person, key: bytes) -> Identity:
    """Decrypt a person's identity with a data key the caller already holds (one keystore read)."""
    if person.identity_ct is None:
        raise ValueError("this record has no sealed identity")
    return Identity.from_json(
        crypto.decrypt_json(person.pk, key, person.identity_ct, IDENTITY_PURPOSE)
    )


def identity_of(person: Person) -> Identity | None:
    """Decrypt a person's identity for an action that already passed the gate (no audit)."""
    return identities([person]).get(person.pk)
