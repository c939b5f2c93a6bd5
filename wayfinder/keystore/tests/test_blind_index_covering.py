"""The blind index's lookup index: covering on PostgreSQL, and no warning on SQLite.

The model states the index by its three key fields (migration 0004) so that SQLite, which has no
``INCLUDE``, prints no warning on every ``manage.py`` command; PostgreSQL's index still carries
the person id (migration 0003), which is what makes a name search index-only."""

from __future__ import annotations

import pytest
from django.core import checks
from django.db import connections

pytestmark = pytest.mark.django_db(databases=["default", "keystore"])


def test_no_system_check_message_on_this_database():
    assert [m for m in checks.run_checks() if m.level >= checks.WARNING] == []


def test_postgresql_index_carries_the_person_id(postgres_only):
    with connections["keystore"].cursor() as cur:
        if connections["keystore"].vendor != "postgresql":
            pytest.fail("the keystore follows the main database's vendor")
        cur.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            ["blindindex_agency_digest_cov"],
        )
        (definition,) = cur.fetchone()
    assert "(agency_id, kind, digest) INCLUDE (person_id)" in definition
