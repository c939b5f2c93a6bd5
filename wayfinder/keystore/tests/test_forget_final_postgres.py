"""On PostgreSQL, forget + the documented rotation leaves nothing the current KEK can unwrap.

The attacker of issue 10: a file-level copy of the keystore database (relation files and WAL)
taken after the forget, the KEK that is configured, and any copy of the main database. The test
reads the server's own files (it runs as root next to a local PostgreSQL): every file of the
keystore database's directory, and every WAL segment in ``pg_wal``.

What WAL keeps cannot be un-written: the row inserted when the person was taken in is still
there, wrapped by the KEK of that time. That is why the procedure retires that KEK. The test says
so exactly: the old KEK still finds the key in the WAL, and the current one finds nothing.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

from wayfinder.core import crypto
from wayfinder.keystore.models import DataKey
from wayfinder.keystore.tests.forensics import offsets, unwrapping_windows
from wayfinder.people.actions import create_person, forget_person
from wayfinder.people.models import Identity, Person

pytestmark = pytest.mark.django_db(transaction=True)

WAL_PAGE = 8192
XLP_LONG_HEADER = 0x0002


def _kek(entry: str) -> bytes:
    return base64.b64decode(entry.partition(":")[2])


def _keystore_files() -> dict[Path, bytes]:
    with connections["keystore"].cursor() as cur:
        cur.execute("CHECKPOINT")  # what is in shared buffers reaches the files
        cur.execute("SHOW data_directory")
        data_dir = Path(cur.fetchone()[0])
        cur.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
        db_dir = data_dir / "base" / str(cur.fetchone()[0])
        cur.execute("SELECT pg_relation_filepath('keystore_datakey')")
        datakey_file = data_dir / cur.fetchone()[0]
    files = {p: p.read_bytes() for p in sorted(db_dir.iterdir()) if p.is_file()}
    assert files.get(datakey_file), "the scan must cover the DataKey table"
    return files


def _wal_stream() -> bytes:
    """Every segment in pg_wal, page headers removed, so records read as one byte stream."""
    with connections["keystore"].cursor() as cur:
        cur.execute("SHOW data_directory")
        wal_dir = Path(cur.fetchone()[0]) / "pg_wal"
    parts = []
    segments = sorted(p for p in wal_dir.iterdir() if p.is_file() and len(p.name) == 24)
    assert segments, "no WAL segment found"
    for seg in segments:
        raw = seg.read_bytes()
        for off in range(0, len(raw), WAL_PAGE):
            page = raw[off : off + WAL_PAGE]
            header = 40 if int.from_bytes(page[2:4], "little") & XLP_LONG_HEADER else 24
            parts.append(page[header:])
    return b"".join(parts)


def _hits(files: dict[Path, bytes], person_id, data_key, kek) -> list[tuple[Path, int]]:
    return [
        (path, at)
        for path, data in files.items()
        for at in unwrapping_windows(data, person_id, data_key, kek)
    ]


@pytest.fixture
def old_kek(settings):
    """The one KEK in use before the rotation (set before the personas are taken in)."""
    settings.WAYFINDER_KEK = crypto.generate_kek_entry("old1")
    return settings.WAYFINDER_KEK


def test_forget_then_rotation_leaves_nothing_the_current_kek_unwraps(
    postgres_only, old_kek, personas, settings
):
    old = old_kek
    navigator = personas.actor(personas.navigator_a)
    gone = create_person(
        actor=navigator,
        identity=Identity(chosen_name="Marisol Quintero", legal_name="Marisol Quintero Ybarra"),
        birth_year=1990,
    )
    kept = create_person(actor=navigator, identity=Identity(chosen_name="Tomasz Wilk"))
    gone_key, kept_key = crypto.data_key(gone.pk), crypto.data_key(kept.pk)
    wrapped = bytes(DataKey.objects.get(pk=gone.pk).wrapped)
    # What any copy of the main database holds for these two people: ciphertext.
    main_copy = {pk: bytes(ct) for pk, ct in Person.objects.values_list("pk", "identity_ct")}

    forget_person(gone, actor=personas.actor(personas.admin_a), confirmation=gone.pseudonym)

    # The finding, reproduced: deleted is not gone. The dead tuple is still in the table's file.
    before = _keystore_files()
    assert any(offsets(data, wrapped) for data in before.values())
    assert _hits(before, gone.pk, gone_key, _kek(old))

    # The documented procedure: a new KEK first, rotate_kek, then remove what it names.
    new = crypto.generate_kek_entry("new2")
    settings.WAYFINDER_KEK = f"{new},{old}"
    call_command("rotate_kek", stdout=(out := _Out()))
    assert "Now remove KEK id(s) 'old1'" in out.text
    settings.WAYFINDER_KEK = new
    current = _kek(new)

    files = _keystore_files()
    assert not any(offsets(data, wrapped) for data in files.values())
    assert not any(offsets(data, gone.pk.bytes) for data in files.values())
    assert _hits(files, gone.pk, gone_key, current) == []
    # The same scan does find a kept person's key, re-wrapped by the new KEK: it can see keys.
    kept_found = _hits(files, kept.pk, kept_key, current)
    assert kept_found

    wal = {Path("pg_wal"): _wal_stream()}
    assert _hits(wal, gone.pk, gone_key, current) == []
    assert _hits(wal, kept.pk, kept_key, current)  # the re-wrap was logged: the scan reads WAL
    # WAL cannot be un-written: the key wrapped at intake may still be there, under old1 only.
    for at in offsets(wal[Path("pg_wal")], wrapped):
        window = wal[Path("pg_wal")][at : at + len(wrapped)]
        with pytest.raises(crypto.DecryptionFailed):
            crypto._unwrap(gone.pk, "new2", window)

    # Nothing the current KEK can reach decrypts the forgotten person from the main copy, while
    # the kept person's key, found the same way, still decrypts theirs.
    with pytest.raises(crypto.KeyDestroyed):
        crypto.data_key(gone.pk)
    path, at = kept_found[0]
    blob = files[path][at : at + len(wrapped)]
    key = crypto._unwrap(kept.pk, "new2", blob)
    assert crypto.decrypt_json(kept.pk, key, main_copy[kept.pk])["chosen_name"] == "Tomasz Wilk"
    for candidate in crypto.data_keys(Person.objects.values_list("pk", flat=True)).values():
        with pytest.raises(crypto.DecryptionFailed):
            crypto.decrypt_json(gone.pk, candidate, main_copy[gone.pk])


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, s):
        self.text += s

    def flush(self):
        pass
