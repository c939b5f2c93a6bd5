"""Lookups the ORM lacks."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet, UUIDField
from django.db.models.lookups import In


@UUIDField.register_lookup
class AnyOf(In):
    """``field__any_of=ids``: ``field__in=ids``, but on PostgreSQL one array parameter
    (``field = ANY(%s::uuid[])``) instead of one placeholder per id.

    The same rows and the same plan (PostgreSQL reads ``IN (a, b, …)`` as ``= ANY(ARRAY[…])``);
    what it saves is the Python side of a long list: a name search's thousands of ids are
    prepared, placed and quoted once per query, not once per id. Elsewhere a plain ``IN``."""

    lookup_name = "any_of"

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return self.as_sql(compiler, connection)
        ids = [v for v in self.rhs if v is not None]
        if not ids:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        # The array as one text literal: psycopg would dump a list of UUIDs element by element.
        array = "{" + ",".join(map(str, ids)) + "}"
        return f"{lhs} = ANY(%s::uuid[])", (*lhs_params, array)


def counts_upto(limited: list[QuerySet]) -> list[int]:
    """The row count of each (sliced) queryset, in one statement: ``[qs[:n], …]`` gives
    ``min(count, n)`` each, reading at most ``n`` entries, in one round trip for all of them.
    They must share a database. A queryset that can hold nothing counts 0 without SQL."""
    if not limited:
        return []
    parts: list[str] = []
    params: list[Any] = []
    db = limited[0].db
    for i, qs in enumerate(limited):
        try:
            sql, part_params = qs.query.sql_with_params()
        except EmptyResultSet:  # ``none()``
            parts.append("0")
            continue
        # The SQL is the ORM's own; its values stay parameters.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) wf_count_{i})")  # noqa: S608
        params.extend(part_params)
    with connections[db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return [int(n) for n in row]
