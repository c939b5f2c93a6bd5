"""PostgreSQL knows that a care-team row's user implies its agency (migration 0005).

Without it the planner multiplies the shares of ``user_id = X`` and ``agency_id = Y`` and expects
a navigator's caseload to be a fraction of its size; for a caseload of thousands it then picks a
plan that reads every team row of it (``docs/benchmarks.md``, "Eleventh round")."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from wayfinder.accounts.models import Agency, User
from wayfinder.people.models import CareTeamMember, Person

pytestmark = pytest.mark.django_db

AGENCIES, PER_AGENCY = 10, 300


def _estimated_rows(sql: str, params: list) -> float:
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cur.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"]


def test_the_statistics_object_exists(postgres_only):
    with connection.cursor() as cur:
        cur.execute(
            "SELECT stxname, stxkind FROM pg_statistic_ext WHERE stxrelid = %s::regclass",
            [CareTeamMember._meta.db_table],
        )
        assert cur.fetchall() == [("care_team_user_implies_agency", ["d", "f", "m"])]


def test_a_caseload_is_expected_at_its_size(postgres_only):
    """Ten agencies, a navigator at each who is on 300 teams there: the planner expects about
    300 rows for (user, agency), not 300 / 10."""
    users = []
    for i in range(AGENCIES):
        agency = Agency.objects.create(name=f"Statistics agency {i}")
        user = User.objects.create_user(email=f"stats{i}@example.org", password="x" * 20)
        persons = Person.objects.bulk_create(Person(owner_agency=agency) for _ in range(PER_AGENCY))
        CareTeamMember.objects.bulk_create(
            CareTeamMember(person=p, user=user, agency=agency, is_lead=True) for p in persons
        )
        users.append((user.pk, agency.pk))
    table = connection.ops.quote_name(CareTeamMember._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(f"ANALYZE {table}")
    user_id, agency_id = users[3]
    expected = _estimated_rows(
        f"SELECT person_id FROM {table} WHERE user_id = %s AND agency_id = %s",  # noqa: S608
        [user_id, agency_id],
    )
    # Independent shares would give 300 x 1/10 (the agency) = 30; the dependency gives ~300.
    assert expected >= PER_AGENCY / 2, expected
