"""KEK rotation, and with it the moment a "forget" becomes final.

Deleting a wrapped data key is not enough on its own: PostgreSQL keeps the deleted row as a dead
tuple until the table is rewritten, and in its WAL (and WAL archives, replicas, base backups) for
as long as those are kept. Nothing can un-write WAL. What *can* be destroyed is the KEK, which
lives outside both databases. So a forget is final once every KEK that could have wrapped the
forgotten key is gone from the ring (and from every copy of the secret):

1. put a new KEK first in ``WAYFINDER_KEK`` (``manage.py rotate_kek --generate ID``);
2. ``manage.py rotate_kek`` re-wraps every surviving key with it, rewrites the keystore tables so
   no dead row stays in their files, and names the KEK ids to remove;
3. remove those ids. Every wrapped key they ever made, anywhere, is now noise.

``forget_status()`` tells which forgets are not final yet (system check, network admin page).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import DatabaseError, connections, transaction
from django.db.models import Max

from wayfinder.audit.events import record
from wayfinder.core import crypto
from wayfinder.keystore.models import DataKey, Kek
from wayfinder.people.models import Person

KEYSTORE_TABLES = ("keystore_datakey", "keystore_blindindex")
_LONG_AGO = datetime.min.replace(tzinfo=UTC)


class RotationRefused(Exception):
    """The rotation would not make the pending forgets final (the first KEK is not new)."""


@dataclass(frozen=True)
class ForgetStatus:
    pending: int  # forgets that a KEK still in the ring may have wrapped the key of
    retired: tuple[str, ...]  # ring KEKs, other than the first, that wrap no data key any more
    primary_is_new: bool  # the first KEK was first used after the last forget (or not yet)

    @property
    def needs_rotation(self) -> bool:
        return self.pending > 0 and not self.primary_is_new


def _in_use(ring: dict[str, bytes]) -> set[str]:
    """The ring's KEKs that wrap at least one data key: one probe of the ``kek_id`` index each
    (a ring holds a few KEKs), not a read of every key in the network."""
    return {kid for kid in ring if DataKey.objects.filter(kek_id=kid).exists()}


def _first_use(
    ring: dict[str, bytes], primary: str, in_use: set[str]
) -> dict[str, datetime | None]:
    """When each ring KEK first wrapped a key. None: never (a new first KEK, not used yet).

    A KEK with no record that still wraps keys dates from before records were kept: treat it as
    older than every forget.
    """

    recorded = dict(Kek.objects.filter(kid__in=list(ring)).values_list("kid", "first_used_at"))
    first: dict[str, datetime | None] = {}
    for kid in ring:
        if kid in recorded:
            first[kid] = recorded[kid]
        elif kid == primary and kid not in in_use:
            first[kid] = None
        else:
            first[kid] = _LONG_AGO
    return first


def forget_status() -> ForgetStatus:
    """Which forgets are not final yet, and what the operator should do about it."""

    primary, ring = crypto.kek_ring()
    in_use = _in_use(ring)
    first = _first_use(ring, primary, in_use)
    used = [t for t in first.values() if t is not None]
    forgotten = Person.objects.filter(forgotten_at__isnull=False)
    pending = forgotten.filter(forgotten_at__gte=min(used)).count() if used else 0
    last_forget = forgotten.aggregate(last=Max("forgotten_at"))["last"]
    primary_is_new = first[primary] is None or (last_forget is None or first[primary] > last_forget)
    retired = tuple(k for k in ring if k != primary and k not in in_use)
    return ForgetStatus(pending=pending, retired=retired, primary_is_new=primary_is_new)


@dataclass(frozen=True)
class RotationReport:
    primary: str
    rewrapped: int
    remove: tuple[str, ...]  # KEK ids the operator must now delete
    final_once_removed: int  # forgets that become final once ``remove`` is gone
    still_pending: int  # forgets made while this ran: they need the next rotation
    checkpoint_done: bool  # PostgreSQL: CHECKPOINT needs superuser or pg_checkpoint


def rotate_keys() -> RotationReport:
    """Re-wrap every data key with the first KEK and rewrite the keystore's files.

    Refused when forgets are pending and the first KEK already wrapped keys before the last of
    them: rotating to it could never make those forgets final.
    """

    primary, ring = crypto.kek_ring()
    status = forget_status()
    if status.pending and not status.primary_is_new:
        raise RotationRefused(
            f"{status.pending} forget(s) are not final, and KEK {primary!r} was already in use "
            "before the last of them. Generate a new KEK (rotate_kek --generate ID), put it "
            "first in WAYFINDER_KEK, keep the others after it, and run rotate_kek again."
        )
    # Belt and braces: a keystore restored from a backup, or a forget whose keystore write was
    # lost, must not carry a forgotten person's key into the new KEK.
    for pid in Person.objects.filter(forgotten_at__isnull=False).values_list("pk", flat=True):
        crypto.destroy_data_key(pid)
    rewrapped = crypto.rewrap_all_data_keys()
    checkpoint_done = compact_keystore()

    remove = tuple(k for k in ring if k != primary)
    pending = forget_status().pending
    since = Kek.objects.get(kid=primary).first_used_at
    still = Person.objects.filter(forgotten_at__gte=since).count()
    with transaction.atomic():
        record(
            "keystore.rotate",
            category="keys",
            via="command",
            detail={
                "kek_id": primary,
                "rewrapped": rewrapped,
                "remove": list(remove),
                "final_once_removed": pending - still,
            },
        )
    return RotationReport(
        primary=primary,
        rewrapped=rewrapped,
        remove=remove,
        final_once_removed=pending - still,
        still_pending=still,
        checkpoint_done=checkpoint_done,
    )


def compact_keystore() -> bool:
    """Rewrite the keystore so no deleted or superseded row stays in its files or journal.

    PostgreSQL: ``VACUUM FULL`` copies the live rows into new files and drops the old ones (a
    plain VACUUM leaves dead tuples' bytes in place), then ``CHECKPOINT`` flushes it and lets the
    WAL that still holds the old rows be recycled. SQLite: ``VACUUM`` with ``secure_delete`` on,
    then the WAL is checkpointed and truncated (main database too). Returns False only when
    PostgreSQL refused CHECKPOINT for lack of privilege (the next automatic one does the same).
    """
    keystore = connections["keystore"]
    if keystore.in_atomic_block:
        raise RuntimeError("compact_keystore cannot run inside a transaction")
    if keystore.vendor == "postgresql":
        with keystore.cursor() as cur:
            for table in KEYSTORE_TABLES:
                cur.execute(f"VACUUM FULL {keystore.ops.quote_name(table)}")
            try:
                cur.execute("CHECKPOINT")
            except DatabaseError as exc:
                if getattr(exc.__cause__, "sqlstate", "") != "42501":  # insufficient privilege
                    raise
                return False
        return True
    with keystore.cursor() as cur:
        cur.execute("VACUUM")
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    main = connections["default"]
    if main.vendor == "sqlite" and not main.in_atomic_block:
        with main.cursor() as cur:
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return True
