"""Encrypted backups of the main database, and of the keystore (kept apart, on a short retention).

A main-database backup never contains data keys, so a person forgotten after the backup stays
unreadable in it. A keystore backup exists only for disaster recovery; restoring one re-applies
every "forget" recorded in the main database, so an old keystore cannot bring a person back.
"""

from __future__ import annotations

import base64
import io
import json
import os
import tempfile

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import transaction

from wayfinder.core import crypto
from wayfinder.keystore.models import BlindIndex, DataKey
from wayfinder.people.models import Person

MAGIC = b"WFBK1"
KEYSTORE_APPS = {"keystore"}
SKIP_MODELS = {"contenttypes.contenttype", "auth.permission", "sessions.session"}


def _seal(payload: bytes, label: str) -> bytes:
    kid, ring = crypto.kek_ring()
    file_key = AESGCM.generate_key(bit_length=256)
    n1, n2 = os.urandom(12), os.urandom(12)
    header = {
        "kid": kid,
        "label": label,
        "wrapped": base64.b64encode(
            n1 + AESGCM(ring[kid]).encrypt(n1, file_key, label.encode())
        ).decode(),
    }
    head = json.dumps(header).encode()
    return (
        MAGIC
        + len(head).to_bytes(4, "big")
        + head
        + n2
        + AESGCM(file_key).encrypt(n2, payload, label.encode())
    )


def _open(blob: bytes, label: str) -> bytes:
    if not blob.startswith(MAGIC):
        raise ValueError("not a Wayfinder backup file")
    size = int.from_bytes(blob[5:9], "big")
    header = json.loads(blob[9 : 9 + size])
    if header["label"] != label:
        raise ValueError(f"this is a {header['label']} backup, not a {label} backup")
    _kid, ring = crypto.kek_ring()
    if header["kid"] not in ring:
        raise ValueError(f"backup was made with KEK {header['kid']!r}, which is not configured")
    wrapped = base64.b64decode(header["wrapped"])
    file_key = AESGCM(ring[header["kid"]]).decrypt(wrapped[:12], wrapped[12:], label.encode())
    rest = blob[9 + size :]
    return AESGCM(file_key).decrypt(rest[:12], rest[12:], label.encode())


def dump_main() -> bytes:
    """Every table of the main database (no keystore), as encrypted Django JSON fixtures."""
    models = [
        m
        for m in apps.get_models()
        if m._meta.app_label not in KEYSTORE_APPS
        and m._meta.label_lower not in SKIP_MODELS
        and not m._meta.proxy
        and m._meta.managed
    ]
    out = io.StringIO()
    serializers.serialize("json", _iter_all(models), stream=out)
    return _seal(out.getvalue().encode(), "main")


def _iter_all(models):
    for model in models:
        yield from model._base_manager.order_by("pk").iterator(chunk_size=2000)


def dump_keystore() -> bytes:
    out = io.StringIO()
    serializers.serialize("json", _iter_all([DataKey, BlindIndex]), stream=out)
    return _seal(out.getvalue().encode(), "keystore")


def read_main(blob: bytes) -> list[dict]:
    """The decrypted fixture records of a main backup (for restore and for tests)."""
    return json.loads(_open(blob, "main"))


def restore_main(blob: bytes) -> int:
    records = _open(blob, "main")
    return _load(records, using="default")


def restore_keystore(blob: bytes) -> tuple[int, int]:
    """Load keys, then destroy those of every person the main database says was forgotten."""
    count = _load(_open(blob, "keystore"), using="keystore")
    forgotten = list(Person.objects.filter(forgotten_at__isnull=False).values_list("pk", flat=True))
    for pid in forgotten:
        crypto.destroy_data_key(pid)
    return count, len(forgotten)


def _load(raw: bytes, using: str) -> int:
    with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as fh:
        fh.write(raw)
        path = fh.name
    try:
        with transaction.atomic(using=using):
            call_command("loaddata", path, database=using, verbosity=0)
    finally:
        os.unlink(path)
    return len(json.loads(raw))
