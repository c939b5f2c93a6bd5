"""Identifying fields never reach the database in plain text, and "forget" makes them unreadable."""

import pytest
from django.db import connections

from wayfinder.core import crypto
from wayfinder.people.actions import forget_person
from wayfinder.people.sealing import identity_of


def _raw_person_rows():
    with connections["default"].cursor() as cur:
        cur.execute("SELECT * FROM people_person")
        return cur.fetchall()


def _as_text(rows) -> str:
    return repr(rows) + "".join(
        bytes(v).decode("latin-1") for r in rows for v in r if isinstance(v, bytes | memoryview)
    )


def test_raw_sql_shows_no_plaintext_name_or_dob(personas):
    text = _as_text(_raw_person_rows())
    assert "Ana" not in text and "Rivera" not in text
    assert "1996-04-12" not in text and "555 0100" not in text
    assert identity_of(personas.survivor).chosen_name == "Ana Rivera"


def test_forget_makes_an_earlier_database_copy_unreadable(personas):
    survivor = personas.survivor
    before = _raw_person_rows()  # the "backup": every byte of the person table before forgetting
    ciphertext = next(
        bytes(v)
        for r in before
        for v in r
        if isinstance(v, bytes | memoryview) and len(bytes(v)) > 20
    )
    assert (
        crypto.decrypt_json(survivor.pk, crypto.data_key(survivor.pk), ciphertext)["chosen_name"]
        == "Ana Rivera"
    )

    forget_person(survivor, actor=personas.actor(personas.admin_a), confirmation=survivor.pseudonym)

    with pytest.raises(crypto.KeyDestroyed):
        crypto.data_key(survivor.pk)
    assert crypto.data_keys([survivor.pk]) == {}
    survivor.refresh_from_db()
    assert survivor.identity_ct is None and survivor.is_forgotten
    assert "Rivera" not in _as_text(_raw_person_rows())
