"""PostgreSQL parses and plans a repeated query once per kept connection (DB_PREPARE_THRESHOLD).

The whole PostgreSQL leg of the suite runs with server-side binding, as production does; this
checks that the statements are really prepared, and that a prepared one answers for each set of
parameters, not only for the first.
"""

from __future__ import annotations

import uuid

import pytest
from django.db import connection

from wayfinder.accounts.models import Agency
from wayfinder.core.testing import prepared_statements


def test_a_query_run_again_is_prepared_and_answers_for_its_own_parameters(postgres_only, personas):
    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    agencies = list(Agency.objects.order_by("pk")[:2])
    assert len(agencies) == 2, "the personas give more than one agency"
    assert not any('"accounts_agency"."id" = $1' in s for s in prepared_statements())
    for _ in range(threshold + 1):
        assert Agency.objects.filter(pk=uuid.uuid4()).first() is None
    assert any('"accounts_agency"."id" = $1' in s for s in prepared_statements())
    for agency in agencies:  # the prepared plan, with other values
        assert Agency.objects.filter(pk=agency.pk).first() == agency


def test_sqlite_and_client_binding_are_left_alone(settings):
    for alias, db in settings.DATABASES.items():
        options = db.get("OPTIONS", {})
        if db["ENGINE"].endswith("sqlite3"):
            assert "server_side_binding" not in options, alias


def test_nothing_is_prepared_within_planned_each_time(postgres_only, personas):
    from wayfinder.core.db import planned_each_time

    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    with planned_each_time():
        for _ in range(threshold + 2):
            assert Agency.objects.filter(name="No such agency").first() is None
        assert connection.connection.prepare_threshold is None
    assert not any('"accounts_agency"."name" = $1' in s for s in prepared_statements())
    assert connection.connection.prepare_threshold == threshold
    with pytest.raises(ZeroDivisionError), planned_each_time():  # an error inside restores it too
        raise ZeroDivisionError
    assert connection.connection.prepare_threshold == threshold
    for _ in range(threshold + 1):  # and after the block, the same query is prepared again
        Agency.objects.filter(name="No such agency").first()
    assert any('"accounts_agency"."name" = $1' in s for s in prepared_statements())


def test_planned_each_time_changes_nothing_on_sqlite(db):
    from wayfinder.core.db import planned_each_time

    if connection.vendor != "sqlite":
        return  # the PostgreSQL behaviour is the test above
    with planned_each_time():
        assert Agency.objects.filter(name="No such agency").first() is None
