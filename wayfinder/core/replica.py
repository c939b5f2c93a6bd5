"""An optional read replica (``DATABASE_REPLICA_URL``) for read-only traffic.

Only reads that can be a moment stale and hold nothing the gate guards go there: the models of
the apps in ``WAYFINDER_REPLICA_APPS`` (the service directory: the HSDS API and directory
browsing), read during a GET or HEAD request whose path matches ``WAYFINDER_REPLICA_PATHS``
(``ReplicaMiddleware``), or inside ``with reading_from_replica():`` (a report, a command).

Everything else stays on the primary: every write; every read of any other app's models (so the
gate's reads of persons, care teams and consents, sessions, users and memberships); and every
read made while the primary is inside a transaction (an action and its audit event, which must
see what they lock and write).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from django.conf import settings
from django.db import connections

REPLICA = "replica"
_reading = ContextVar("wayfinder_reading_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def reading_from_replica():
    """Within this block, reads of the replica apps' models may go to the replica."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


class ReplicaRouter:
    """Send the replica apps' reads to the replica while ``reading_from_replica`` is on."""

    def db_for_read(self, model, **hints):
        if not _reading.get() or not replica_configured():
            return None
        if model._meta.app_label not in settings.WAYFINDER_REPLICA_APPS:
            return None
        if connections["default"].in_atomic_block:
            return None  # a transaction reads what it locks and writes: the primary
        return REPLICA

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # A row read from the replica is the primary's row: relations between them are fine.
        if {obj1._state.db, obj2._state.db} <= {"default", REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db == REPLICA:
            return False  # the replica follows the primary; never migrated itself
        return None


@cache
def _paths(patterns: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!)")


class ReplicaMiddleware:
    """GET/HEAD requests for the directory's read-only pages read it from the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in ("GET", "HEAD")
            and replica_configured()
            and _paths(tuple(settings.WAYFINDER_REPLICA_PATHS)).match(request.path_info)
        ):
            with reading_from_replica():
                return self.get_response(request)
        return self.get_response(request)
