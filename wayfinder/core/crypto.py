"""Envelope encryption of personal data: one AES-256-GCM data key per person, wrapped by a KEK.

- The KEK ring comes from ``WAYFINDER_KEK`` (or ``WAYFINDER_KEK_FILE``): ``kid:base64,kid:base64``.
  The first key wraps new data keys; the others still unwrap, so keys can be rotated
  (``manage.py rotate_kek`` re-wraps every data key with the first; see ``people.keyrotation``).
- Data keys and blind indexes live in the *keystore* database (see ``wayfinder.keystore``).
  Destroying a person's data key makes every copy of their ciphertext unreadable -- for good
  once every KEK that ever wrapped that key is destroyed too, since a database's WAL and file
  copies can keep a deleted row (``people.keyrotation.forget_status``).
- Every ciphertext binds the person's id as associated data, so a blob moved onto another
  person's row fails to decrypt instead of showing the wrong person's data.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import json
import os
import re
import unicodedata
import uuid
from collections.abc import Collection, Iterable
from datetime import date

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Exists, OuterRef

from wayfinder.core import lookups  # noqa: F401 (registers ``__any_of``, used below)
from wayfinder.keystore.models import BlindIndex, DataKey

_VERSION = b"\x01"
_NONCE = 12


class KeyDestroyed(Exception):
    """The person's data key no longer exists: their encrypted data is gone for good."""


class DecryptionFailed(Exception):
    """A ciphertext did not authenticate (wrong key, wrong person, or tampered)."""


# --- key-encryption keys ---------------------------------------------------------------------


def _parse_ring(spec: str) -> dict[str, bytes]:
    ring: dict[str, bytes] = {}
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        kid, sep, b64 = part.partition(":")
        if not sep or not kid:
            raise ImproperlyConfigured("WAYFINDER_KEK entries look like 'kid:base64key'")
        try:
            key = base64.b64decode(b64, validate=True)
        except (binascii.Error, ValueError):
            raise ImproperlyConfigured(f"WAYFINDER_KEK key {kid!r} is not valid base64") from None
        if len(key) != 32:
            raise ImproperlyConfigured(f"WAYFINDER_KEK key {kid!r} must be 32 bytes (AES-256)")
        if kid in ring:
            raise ImproperlyConfigured(f"WAYFINDER_KEK lists key id {kid!r} twice")
        ring[kid] = key
    if not ring:
        raise ImproperlyConfigured("WAYFINDER_KEK is empty")
    return ring


def _dev_kek_spec() -> str:
    path = settings.WAYFINDER_DEV_KEK_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write("dev:" + base64.b64encode(AESGCM.generate_key(bit_length=256)).decode())
    return path.read_text().strip()


@functools.cache
def _ring_for(spec: str) -> tuple[str, dict[str, bytes]]:
    ring = _parse_ring(spec)
    return next(iter(ring)), ring


def kek_ring() -> tuple[str, dict[str, bytes]]:
    """(primary key id, {key id: key}) from settings; a dev key file only when DEBUG is on."""
    spec = settings.WAYFINDER_KEK
    if not spec:
        if not settings.DEBUG:
            raise ImproperlyConfigured("WAYFINDER_KEK (or WAYFINDER_KEK_FILE) is required")
        spec = _dev_kek_spec()
    return _ring_for(spec)


def generate_kek_entry(kid: str) -> str:
    return f"{kid}:{base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()}"


# --- data keys -------------------------------------------------------------------------------


def _wrap_aad(person_id: uuid.UUID) -> bytes:
    return b"wayfinder:data-key:" + person_id.bytes


def _wrap(person_id: uuid.UUID, data_key: bytes) -> tuple[str, bytes]:
    kid, ring = kek_ring()
    nonce = os.urandom(_NONCE)
    return kid, nonce + AESGCM(ring[kid]).encrypt(nonce, data_key, _wrap_aad(person_id))


def _unwrap(person_id: uuid.UUID, kid: str, wrapped: bytes) -> bytes:
    _primary, ring = kek_ring()
    if kid not in ring:
        raise ImproperlyConfigured(f"Data key wrapped by KEK {kid!r}, which is not configured")
    try:
        return AESGCM(ring[kid]).decrypt(wrapped[:_NONCE], wrapped[_NONCE:], _wrap_aad(person_id))
    except InvalidTag:
        raise DecryptionFailed("data key did not unwrap") from None


def note_kek_use(kid: str) -> None:
    """Record when a KEK first wraps a data key: forgets before that moment never met it."""
    from django.utils import timezone

    from wayfinder.keystore.models import Kek

    Kek.objects.get_or_create(kid=kid, defaults={"first_used_at": timezone.now()})


def create_data_key(person_id: uuid.UUID, agency_id: uuid.UUID) -> bytes:
    """Make, wrap and store a new data key for a person; return it unwrapped."""
    data_key = AESGCM.generate_key(bit_length=256)
    kid, wrapped = _wrap(person_id, data_key)
    note_kek_use(kid)
    DataKey.objects.create(person_id=person_id, agency_id=agency_id, kek_id=kid, wrapped=wrapped)
    return data_key


def data_keys(person_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, bytes]:
    """Unwrapped data keys for these persons, in one query; forgotten persons are absent."""
    ids = list(person_ids)
    if not ids:
        return {}
    rows = DataKey.objects.filter(person_id__in=ids).values_list("person_id", "kek_id", "wrapped")
    return {pid: _unwrap(pid, kid, bytes(wrapped)) for pid, kid, wrapped in rows}


def data_key(person_id: uuid.UUID) -> bytes:
    key = data_keys([person_id]).get(person_id)
    if key is None:
        raise KeyDestroyed(str(person_id))
    return key


def destroy_data_key(person_id: uuid.UUID) -> None:
    """Crypto-shred: delete the data key and every blind index of this person."""
    DataKey.objects.filter(person_id=person_id).delete()
    BlindIndex.objects.filter(person_id=person_id).delete()


def rewrap_all_data_keys() -> int:
    """Re-wrap every data key with the primary KEK (after adding a new one). Returns the count."""

    primary, _ring = kek_ring()
    count = 0
    with transaction.atomic(using="keystore"):
        note_kek_use(primary)
        for row in (
            DataKey.objects.select_for_update().exclude(kek_id=primary).order_by("person_id")
        ):
            key = _unwrap(row.person_id, row.kek_id, bytes(row.wrapped))
            row.kek_id, row.wrapped = _wrap(row.person_id, key)
            row.save(update_fields=["kek_id", "wrapped"])
            count += 1
    return count


# --- field encryption ------------------------------------------------------------------------


def _aad(person_id: uuid.UUID, purpose: str) -> bytes:
    return b"wayfinder:" + purpose.encode() + b":" + person_id.bytes


def encrypt(person_id: uuid.UUID, key: bytes, plaintext: bytes, purpose: str = "identity") -> bytes:
    nonce = os.urandom(_NONCE)
    return _VERSION + nonce + AESGCM(key).encrypt(nonce, plaintext, _aad(person_id, purpose))


def decrypt(
    person_id: uuid.UUID, key: bytes, blob: bytes | memoryview, purpose: str = "identity"
) -> bytes:
    blob = bytes(blob)  # a BinaryField reads as memoryview on PostgreSQL
    if blob[:1] != _VERSION:
        raise DecryptionFailed("unknown ciphertext version")
    try:
        return AESGCM(key).decrypt(
            blob[1 : 1 + _NONCE], blob[1 + _NONCE :], _aad(person_id, purpose)
        )
    except InvalidTag:
        raise DecryptionFailed("ciphertext did not authenticate") from None


def encrypt_json(person_id: uuid.UUID, key: bytes, data: dict, purpose: str = "identity") -> bytes:
    raw = json.dumps(data, separators=(",", ":"), sort_keys=True, default=str).encode()
    return encrypt(person_id, key, raw, purpose)


def decrypt_json(
    person_id: uuid.UUID, key: bytes, blob: bytes | memoryview, purpose: str = "identity"
) -> dict:
    return json.loads(decrypt(person_id, key, blob, purpose))


# --- blind indexes ---------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)


def name_tokens(*names: str) -> set[str]:
    """Normalised name tokens: accents folded, case folded, two letters or more."""
    tokens: set[str] = set()
    for name in names:
        if not name:
            continue
        folded = unicodedata.normalize("NFKD", name)
        folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
        tokens.update(t for t in _TOKEN.findall(folded) if len(t) >= 2)
    return tokens


def _blind_key() -> bytes:
    secret = settings.WAYFINDER_BLIND_INDEX_KEY
    if not secret:
        if not settings.DEBUG:
            raise ImproperlyConfigured("WAYFINDER_BLIND_INDEX_KEY is required")
        secret = "dev-blind:" + settings.SECRET_KEY
    return hashlib.sha256(b"wayfinder-blind-index:" + secret.encode()).digest()


def blind_digest(agency_id: uuid.UUID, kind: str, token: str) -> str:
    # The agency id is mixed in, so the same name gives unrelated digests in two agencies:
    # duplicate checks cannot reach across agencies, even for someone holding the keystore.
    msg = agency_id.bytes + b"|" + kind.encode() + b"|" + token.encode()
    return hmac.new(_blind_key(), msg, hashlib.sha256).hexdigest()


# Name search finds the beginning of a name ("Luc" finds Lucía): each token's prefixes from this
# many letters up are indexed too, as HMACs of their own kind, never as text.
PREFIX_MIN = 3


def name_prefixes(tokens: Iterable[str]) -> set[str]:
    """Every prefix of PREFIX_MIN letters or more of each (already normalised) token."""
    return {t[:n] for t in tokens for n in range(PREFIX_MIN, len(t) + 1)}


def index_terms(
    agency_id: uuid.UUID, names: Iterable[str], dob: date | None
) -> list[tuple[str, str]]:
    tokens = name_tokens(*names)
    terms = [("name", blind_digest(agency_id, "name", t)) for t in sorted(tokens)]
    terms += [
        ("prefix", blind_digest(agency_id, "prefix", p)) for p in sorted(name_prefixes(tokens))
    ]
    if dob:
        terms.append(("dob", blind_digest(agency_id, "dob", dob.isoformat())))
    return terms


def set_blind_indexes(
    person_id: uuid.UUID, agency_id: uuid.UUID, names: Iterable[str], dob: date | None
) -> None:
    BlindIndex.objects.filter(person_id=person_id).delete()
    BlindIndex.objects.bulk_create(
        BlindIndex(person_id=person_id, agency_id=agency_id, kind=kind, digest=digest)
        for kind, digest in index_terms(agency_id, names, dob)
    )


def blind_lookup(agency_id: uuid.UUID, kind: str, tokens: Iterable[str]) -> dict[uuid.UUID, int]:
    """{person id: number of the given tokens that person's index holds} within one agency."""
    digests = [blind_digest(agency_id, kind, t) for t in tokens]
    if not digests:
        return {}
    hits: dict[uuid.UUID, int] = {}
    for pid in (
        BlindIndex.objects.filter(agency_id=agency_id, kind=kind, digest__in=digests)
        .order_by()  # no sort: the model's default order by id would sort every hit
        .values_list("person_id", flat=True)
    ):
        hits[pid] = hits.get(pid, 0) + 1
    return hits


def blind_match_all(
    agency_id: uuid.UUID,
    terms: Iterable[tuple[str, str]],
    *,
    limit: int | None = None,
    among: Collection[uuid.UUID] | None = None,
) -> set[uuid.UUID]:
    """Persons of one agency whose index holds every (kind, token) of ``terms``, in one query
    that returns only them (not every person matching each term, to intersect here).

    ``limit``: return at most that many (which ones is not defined): a caller that asks for one
    more than it will use learns that there are more without reading them all. ``among``: look
    only at these persons (a few records of another agency), not at every match of the agency.

    One term's entries, each kept when an entry of every other term ``EXISTS`` for the same
    person. The lookup index is keyed (agency, kind, digest, person), so the database can start
    from the rarest term (its statistics know which) and look the others up person by person:
    a one-match name no longer reads every entry of its common first name. An ``INTERSECT``
    read every term's entries whole."""
    # Longest word first: the database starts from the first term unless its statistics know
    # better (PostgreSQL's do; SQLite's do not), and a longer word is usually the rarer one ("Mateo
    # Huamán": "huaman", not "mateo"). Ties in a fixed order, so a search is always one query.
    ranked = sorted(
        {(-len(token), kind, blind_digest(agency_id, kind, token)) for kind, token in terms}
    )
    digests = list(dict.fromkeys((kind, digest) for _n, kind, digest in ranked))
    if not digests:
        return set()

    def entries(kind: str, digest: str):
        return BlindIndex.objects.filter(agency_id=agency_id, kind=kind, digest=digest).order_by()

    found = entries(*digests[0])
    if among is not None:
        found = found.filter(person_id__any_of=list(among))
    for kind, digest in digests[1:]:
        found = found.filter(Exists(entries(kind, digest).filter(person_id=OuterRef("person_id"))))
    ids = found.values_list("person_id", flat=True)
    return set(ids if limit is None else ids[:limit])
