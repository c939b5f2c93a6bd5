"""Database helpers that both engines accept.

On PostgreSQL a kept connection prepares the queries it repeats (``DB_PREPARE_THRESHOLD`` in the
settings): each is parsed once, and after a few runs PostgreSQL may keep one *generic* plan for
every value of its parameters. That plan suits the small reads every page makes (the session, the
gate, a record's panels), but not a large grouped read whose best plan depends on how much data
its parameters select, such as the agenda's counts over a whole agency's caseload.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections


@contextmanager
def planned_each_time(using: str = "default") -> Iterator[None]:
    """Within the block, nothing is prepared: PostgreSQL plans each query for its own values.

    At 10⁶ persons the agenda's count of overdue steps took 141 ms planned for the lead agency
    and 274 ms with the generic plan of its prepared statement (docs/benchmarks.md, "Tenth
    round"). On SQLite, or with preparing turned off, the block changes nothing.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    threshold = raw.prepare_threshold
    raw.prepare_threshold = None
    try:
        yield
    finally:
        if connection.connection is raw:  # not closed and reopened inside the block
            raw.prepare_threshold = threshold
