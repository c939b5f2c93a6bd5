"""A SQLite keystore overwrites a forgotten key in its file, even if SQLite was built without it.

The project sets ``PRAGMA secure_delete=ON`` and a rollback journal on every keystore connection.
Here SQLite is made to behave as if built with secure delete off (every new connection starts
with it off), the keystore is a real file, and the test reads the file and its journal bytes.
The control shows the same scan finding the key when the project's setting is left out.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from django.db.backends.sqlite3 import base as sqlite_base

from config.settings import _SQLITE_INIT
from wayfinder.core import crypto
from wayfinder.keystore.models import DataKey
from wayfinder.keystore.tests.forensics import offsets, unwrapping_windows
from wayfinder.people.actions import create_person, forget_person
from wayfinder.people.models import Identity, Person

pytestmark = pytest.mark.django_db(transaction=True)


def _kek(entry: str) -> bytes:
    return base64.b64decode(entry.partition(":")[2])


def _build_default_off(monkeypatch):
    real_connect = sqlite_base.Database.connect

    def connect(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        conn.execute("PRAGMA secure_delete=OFF")  # as a build without SQLITE_SECURE_DELETE
        return conn

    monkeypatch.setattr(sqlite_base.Database, "connect", connect)


def _file_keystore(path: Path, init_command: str):
    config = connections.configure_settings(
        {
            "default": {"ENGINE": "django.db.backends.dummy"},
            "keystore": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(path),
                "OPTIONS": {"init_command": init_command, "transaction_mode": "IMMEDIATE"},
            },
        }
    )["keystore"]
    return sqlite_base.DatabaseWrapper(config, alias="keystore")


@pytest.fixture
def keystore_file(tmp_path, monkeypatch, settings, request):
    """The keystore as a file under tmp_path, with the project's settings (or the test's own)."""
    _build_default_off(monkeypatch)
    settings.WAYFINDER_KEK = crypto.generate_kek_entry("old1")
    init = getattr(request, "param", _SQLITE_INIT["keystore"])
    original = connections["keystore"]
    path = tmp_path / "keystore.sqlite3"
    connections["keystore"] = _file_keystore(path, init)
    call_command("migrate", "keystore", database="keystore", verbosity=0)
    yield path
    connections["keystore"].close()
    connections["keystore"] = original


def _files(path: Path) -> dict[Path, bytes]:
    """The database file and whatever journal or WAL sits beside it."""
    connections["keystore"].close()  # as a copy taken now would see it
    found = {p: p.read_bytes() for p in sorted(path.parent.glob(path.name + "*"))}
    assert path in found
    return found


def _hits(files, person_id, data_key, kek):
    return [
        (p, at)
        for p, data in files.items()
        for at in unwrapping_windows(data, person_id, data_key, kek)
    ]


def _take_in_two(personas):
    navigator = personas.actor(personas.navigator_a)
    gone = create_person(actor=navigator, identity=Identity(chosen_name="Marisol Quintero"))
    kept = create_person(actor=navigator, identity=Identity(chosen_name="Tomasz Wilk"))
    return gone, kept


def test_the_project_turns_secure_delete_on_and_forget_overwrites_the_key(
    keystore_file, personas, settings
):
    old = settings.WAYFINDER_KEK
    keystore = connections["keystore"]
    keystore.ensure_connection()
    assert keystore.connection.execute("PRAGMA secure_delete").fetchone() == (1,)
    assert keystore.connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    bare = sqlite_base.Database.connect(keystore_file)  # the simulated build default
    assert bare.execute("PRAGMA secure_delete").fetchone() == (0,)
    bare.close()

    gone, kept = _take_in_two(personas)
    gone_key, kept_key = crypto.data_key(gone.pk), crypto.data_key(kept.pk)
    wrapped = bytes(DataKey.objects.get(pk=gone.pk).wrapped)
    main_copy = dict(Person.objects.values_list("pk", "identity_ct"))
    forget_person(gone, actor=personas.actor(personas.admin_a), confirmation=gone.pseudonym)

    # On SQLite the forget alone already leaves nothing in the files, even under the old KEK.
    after_forget = _files(keystore_file)
    assert not any(offsets(d, wrapped) for d in after_forget.values())
    assert _hits(after_forget, gone.pk, gone_key, _kek(old)) == []
    assert _hits(after_forget, kept.pk, kept_key, _kek(old))  # the scan does see keys

    new = crypto.generate_kek_entry("new2")
    settings.WAYFINDER_KEK = f"{new},{old}"
    call_command("rotate_kek", verbosity=0)
    settings.WAYFINDER_KEK = new
    files = _files(keystore_file)
    assert not any(offsets(d, wrapped) for d in files.values())
    assert not any(offsets(d, gone.pk.bytes) for d in files.values())
    assert _hits(files, gone.pk, gone_key, _kek(new)) == []
    assert _hits(files, gone.pk, gone_key, _kek(old)) == []
    assert _hits(files, kept.pk, kept_key, _kek(new))
    assert _hits(files, kept.pk, kept_key, _kek(old)) == []  # the old wrapping is gone too
    assert crypto.decrypt_json(kept.pk, crypto.data_key(kept.pk), bytes(main_copy[kept.pk]))
    with pytest.raises(crypto.KeyDestroyed):
        crypto.data_key(gone.pk)


@pytest.mark.parametrize("keystore_file", ["PRAGMA journal_mode=DELETE;"], indirect=True)
def test_control_without_secure_delete_the_key_stays_in_the_file(keystore_file, personas, settings):
    gone, _kept = _take_in_two(personas)
    gone_key = crypto.data_key(gone.pk)
    wrapped = bytes(DataKey.objects.get(pk=gone.pk).wrapped)
    forget_person(gone, actor=personas.actor(personas.admin_a), confirmation=gone.pseudonym)

    files = _files(keystore_file)
    assert any(offsets(d, wrapped) for d in files.values())
    assert _hits(files, gone.pk, gone_key, _kek(settings.WAYFINDER_KEK))
