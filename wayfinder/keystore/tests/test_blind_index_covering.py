"""The blind index's lookup index: keyed by the person too, on both databases, and no warning.

A name search starts from one term's entries and looks up the other terms' entries of the same
person (``crypto.blind_match_all``): the index is (agency, kind, digest, person), so each lookup
is one seek and the ids are read from the index alone (migration 0005)."""

from __future__ import annotations

import pytest
from django.core import checks
from django.db import connections

from wayfinder.keystore.models import BlindIndex

pytestmark = pytest.mark.django_db(databases=["default", "keystore"])


def test_no_system_check_message_on_this_database():
    assert [m for m in checks.run_checks() if m.level >= checks.WARNING] == []


def test_the_lookup_index_is_keyed_by_agency_kind_digest_and_person():
    connection = connections["keystore"]
    with connection.cursor() as cur:
        found = connection.introspection.get_constraints(cur, BlindIndex._meta.db_table)
    assert found["blindindex_agency_digest_pid"]["columns"] == [
        "agency_id",
        "kind",
        "digest",
        "person_id",
    ]
    assert "blindindex_agency_digest_cov" not in found  # replaced, not kept beside it


def test_postgresql_knows_which_words_are_common(postgres_only):
    """The thousand commonest digests (a first name shared by one person in 14 is among them),
    and that a digest implies its agency and kind."""
    with connections["keystore"].cursor() as cur:
        cur.execute(
            "SELECT attstattarget FROM pg_attribute WHERE attrelid = %s::regclass "
            "AND attname = 'digest'",
            [BlindIndex._meta.db_table],
        )
        assert cur.fetchone() == (1000,)
        cur.execute(
            "SELECT stxkind FROM pg_statistic_ext WHERE stxrelid = %s::regclass",
            [BlindIndex._meta.db_table],
        )
        assert cur.fetchall() == [(["f"],)]  # functional dependencies
