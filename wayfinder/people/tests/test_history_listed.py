"""A person's access history holds the list views that showed them, found by an index on
PostgreSQL (audit migration 0004) instead of a read of the whole audit trail."""

from __future__ import annotations

from django.db import connection

from wayfinder.audit.events import record
from wayfinder.people.queries import access_history, history_people, listed_in


def _list_view(actor, *codes):
    return record(
        "person.list",
        category="people",
        actor=actor,
        categories=["identity"],
        detail={"shown": list(codes), "searched": False},
    )


def test_the_list_views_that_showed_the_person_and_only_those(personas):
    nav = personas.actor(personas.navigator_a)
    survivor = personas.survivor.pseudonym
    other = "WF-ZZZZ-ZZ" if survivor != "WF-ZZZZ-ZZ" else "WF-YYYY-YY"
    _list_view(nav, other)
    shown = {_list_view(nav, survivor).seq, _list_view(nav, other, survivor).seq}
    # Another action naming the code in its detail is not a list view.
    record("person.view", category="people", actor=nav, detail={"shown": [survivor]})
    assert set(listed_in(survivor).values_list("seq", flat=True)) == shown
    assert shown <= set(access_history(personas.survivor).values_list("seq", flat=True))
    assert personas.navigator_a in history_people(personas.survivor)


def test_postgresql_answers_from_the_index(postgres_only):
    with connection.cursor() as cur:
        cur.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'audit_listed_shown'")
        (definition,) = cur.fetchone()
        assert "USING gin (((detail -> 'shown'::text)) jsonb_path_ops)" in definition
        assert "WHERE ((action)::text = 'person.list'::text)" in definition
        sql, params = listed_in("WF-ABCD-EF").values("seq").query.sql_with_params()
        cur.execute("SET LOCAL enable_seqscan = off")  # the test table is tiny: force the choice
        cur.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cur.fetchall())
    assert "audit_listed_shown" in plan, plan


def test_the_who_filter_reads_one_row_per_person_who_looked(personas):
    """DISTINCT on the actor alone: with the model's order by seq it was (actor, seq), a row for
    every event of the person's history."""
    from django.test.utils import CaptureQueriesContext

    nav = personas.actor(personas.navigator_a)
    for _ in range(3):
        _list_view(nav, personas.survivor.pseudonym)
    with CaptureQueriesContext(connection) as read:
        assert personas.navigator_a in history_people(personas.survivor)
    distinct = [q["sql"] for q in read.captured_queries if "DISTINCT" in q["sql"]]
    assert distinct and all('"seq"' not in sql for sql in distinct), distinct
