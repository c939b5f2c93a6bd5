"""Write and verify the audit trail. Call ``record()`` inside the action's transaction."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC
from typing import TYPE_CHECKING, Any

from django.db import connections, router, transaction
from django.utils import timezone

from wayfinder.audit.models import AuditEvent, AuditHead

if TYPE_CHECKING:
    from wayfinder.accounts.actor import Actor

GENESIS = "0" * 64

# Field order of the canonical form; changing it invalidates every existing chain.
_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "agency_id",
    "action",
    "category",
    "object_type",
    "object_id",
    "person_pseudonym",
    "categories",
    "detail",
    "ip",
    "via",
    "prev_hash",
)


def _canonical(values: Mapping[str, Any]) -> bytes:
    norm = {}
    for name in _FIELDS:
        v = values[name]
        if name == "at":
            v = v.astimezone(UTC).isoformat(timespec="microseconds")
        elif name == "agency_id" and v is not None:
            v = str(v)
        norm[name] = v
    return json.dumps(norm, sort_keys=True, separators=(",", ":"), default=str).encode()


def _hash(values: Mapping[str, Any]) -> str:
    return hashlib.sha256(_canonical(values)).hexdigest()


_EVENT = AuditEvent._meta
_COLUMNS = tuple(_EVENT.concrete_fields)


@functools.cache
def _statements(vendor: str, quote_name: Callable[[str], str]) -> tuple[str, str, str]:
    """The SQL of an append on this database: lock the head, insert the event, move the head.
    Only the models' own table and column names are formatted in; every value is a parameter."""
    qn, head, table = quote_name, quote_name(AuditHead._meta.db_table), quote_name(_EVENT.db_table)
    seq, hash_, id_ = qn("seq"), qn("hash"), qn("id")
    lock = f"SELECT {seq}, {hash_} FROM {head} WHERE {id_} = 1"  # noqa: S608 - names only
    if vendor == "postgresql":
        lock += " FOR UPDATE"
    columns = ", ".join(qn(str(f.column)) for f in _COLUMNS)
    marks = ", ".join(["%s"] * len(_COLUMNS))
    insert = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - names only
    # The head moves only from the tip that was locked: a second writer can never fork the chain.
    move = f"UPDATE {head} SET {seq} = %s, {hash_} = %s WHERE {id_} = 1 AND {seq} = %s"  # noqa: S608
    return lock, insert, move


def _lock_head(cursor, connection) -> tuple[int, str]:
    """Lock the chain's head until the transaction ends; its (seq, hash). One statement."""
    lock, _, _ = _statements(connection.vendor, connection.ops.quote_name)
    cursor.execute(lock)
    row = cursor.fetchone()
    if row is None:  # the very first event: make the head (concurrent first appends wait here)
        head, _ = AuditHead.objects.using(connection.alias).select_for_update().get_or_create(id=1)
        return head.seq, head.hash
    return row[0], row[1]


CHUNK = 500  # events per INSERT: 15 columns each, well under either database's parameter limit


def _append(cursor, connection, events: list[AuditEvent], prev_seq: int) -> None:
    """Insert the events and move the head onto the last, under the head's lock: on PostgreSQL
    one statement (a data-modifying CTE), on SQLite two (it has none; it has one writer anyway),
    whatever the number of events (up to ``CHUNK``; more take a statement per ``CHUNK``)."""
    _, insert, move = _statements(connection.vendor, connection.ops.quote_name)
    marks = insert[insert.index(" VALUES ") + len(" VALUES ") :]
    last = events[-1]
    head = [last.seq, last.hash, prev_seq]
    for start in range(0, len(events), CHUNK):
        chunk = events[start : start + CHUNK]
        sql = insert + f", {marks}" * (len(chunk) - 1)
        params = [
            f.get_db_prep_save(getattr(event, f.attname), connection)
            for event in chunk
            for f in _COLUMNS
        ]
        if connection.vendor == "postgresql" and start + CHUNK >= len(events):
            cursor.execute(f"WITH ev AS ({sql}) {move}", [*params, *head])
            break
        cursor.execute(sql, params)
    else:
        cursor.execute(move, head)
    if cursor.rowcount != 1:  # cannot happen while the head is locked
        raise RuntimeError(f"the audit head moved while event #{last.seq} was appended")


def record(
    action: str,
    *,
    category: str,
    actor: Actor | None = None,
    user_id: int | None = None,
    agency_id=None,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    person=None,
    categories: list[str] | tuple[str, ...] = (),
    detail: dict | None = None,
    ip: str | None = None,
    via: str = "",
) -> AuditEvent:
    """Append one event. ``detail`` must hold ids, field names, counts — never personal data."""
    values = _values(
        action,
        category=category,
        actor=actor,
        user_id=user_id,
        agency_id=agency_id,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        person=person,
        categories=categories,
        detail=detail,
        ip=ip,
        via=via,
    )
    return _append_all([values])[0]


def _append_all(events: list[dict[str, Any]]) -> list[AuditEvent]:
    """Chain the events (``_values``) in order after the head and write them, under its lock."""
    alias = router.db_for_write(AuditEvent)
    connection = connections[alias]
    # savepoint=False: inside the caller's transaction an append is two statements, not four
    # (no SAVEPOINT / RELEASE), and a failed append fails the whole transaction, so an action
    # can never commit without its event. On its own the block is BEGIN … COMMIT as before.
    with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:
        first, prev_hash = _lock_head(cursor, connection)
        rows, seq = [], first
        for values in events:
            seq += 1
            values.update(seq=seq, prev_hash=prev_hash)
            prev_hash = _hash(values)
            rows.append(AuditEvent(**values, hash=prev_hash))
        _append(cursor, connection, rows, first)
    for event in rows:
        event._state.adding, event._state.db = False, alias
    return rows


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""
    last_seq: int = 0  # the last event that verified, and its hash
    last_hash: str = GENESIS
    seen: dict[int, str] = field(default_factory=dict)  # hashes of the events asked for


def verify(batch: int = 2000, *, start: tuple[int, str] | None = None, want=()) -> VerifyResult:
    """Walk the chain in order; report the first event whose hash, link or sequence is wrong.

    ``start=(seq, hash)`` walks from a trusted event (a signed checkpoint) instead of genesis: that
    event must still carry that hash and its contents must still match it. The hashes of the
    events whose seq is in ``want`` are returned in ``seen`` (for comparing with checkpoints).
    """
    want = set(want)
    prev_hash, expected_seq, checked, last_seq = GENESIS, 1, 0, 0
    result = VerifyResult(False, 0)
    if start is not None and start[0] > 0:
        row = AuditEvent.objects.filter(seq=start[0]).values().first()
        if row is None or row["hash"] != start[1] or _hash(row) != row["hash"]:
            result.broken_seq, result.reason = start[0], "no longer matches its signed checkpoint"
            return result
        prev_hash, expected_seq, last_seq = row["hash"], start[0] + 1, start[0]
        if start[0] in want:
            result.seen[start[0]] = row["hash"]
    qs = AuditEvent.objects.order_by("seq")
    head_seq, head_hash = 0, GENESIS
    while True:
        rows = list(qs.filter(seq__gt=last_seq)[:batch].values())
        if not rows:
            # The head moves in the same transaction as each append, so a head read now is at
            # or past every event seen. Past them: events were appended meanwhile; walk on.
            head = AuditHead.objects.filter(id=1).first()
            head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
            if head_seq > last_seq:
                rows = list(qs.filter(seq__gt=last_seq)[:batch].values())
            if not rows:
                break
        for row in rows:
            result.checked, result.last_seq, result.last_hash = checked, last_seq, prev_hash
            if row["seq"] != expected_seq:
                result.broken_seq = expected_seq
                result.reason = f"event #{expected_seq} is missing"
                return result
            if row["prev_hash"] != prev_hash:
                result.broken_seq = row["seq"]
                result.reason = "link to the previous event is broken"
                return result
            if _hash(row) != row["hash"]:
                result.broken_seq, result.reason = row["seq"], "contents do not match the hash"
                return result
            if row["seq"] in want:
                result.seen[row["seq"]] = row["hash"]
            prev_hash, expected_seq, last_seq = row["hash"], expected_seq + 1, row["seq"]
            checked += 1
    result.checked, result.last_seq, result.last_hash = checked, last_seq, prev_hash
    if head_seq > last_seq:
        result.broken_seq = last_seq + 1
        result.reason = f"events after #{last_seq} are missing"
        return result
    if head_seq < last_seq:
        result.broken_seq = head_seq + 1
        result.reason = f"the head is at #{head_seq}, behind event #{last_seq}"
        return result
    if head_hash != prev_hash:
        result.broken_seq = last_seq
        result.reason = f"the head does not match event #{last_seq}"
        return result
    result.ok = True
    return result


def record_many(events: list[dict[str, Any]]) -> list[AuditEvent]:
    """Append several events, each given as ``record``'s keyword arguments, in their order.

    The same events as as many ``record`` calls, chained the same way, but written under one
    lock of the head: one INSERT for all of them and one move of the head, so a page that
    audits each row it shows makes the same number of queries whatever its number of rows.
    Nothing is written (and no query made) for no events.
    """
    if not events:
        return []
    return _append_all([_values(**kwargs) for kwargs in events])


def _values(
    action: str,
    *,
    category: str,
    actor: Actor | None = None,
    user_id: int | None = None,
    agency_id=None,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    person=None,
    categories: list[str] | tuple[str, ...] = (),
    detail: dict | None = None,
    ip: str | None = None,
    via: str = "",
) -> dict[str, Any]:
    """An event's fields as ``record`` makes them, but for its place in the chain (``seq`` and
    ``prev_hash``, set under the head's lock)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    if actor is not None:
        user_id = user_id if user_id is not None else actor.user.pk
        agency_id = (
            agency_id if agency_id is not None else (actor.agency.pk if actor.agency else None)
        )
        ip = ip or actor.ip
        via = via or actor.via
    return {
        "at": timezone.now(),
        "actor_id": user_id,
        "agency_id": agency_id,
        "action": action,
        "category": category,
        "object_type": object_type,
        "object_id": object_id,
        "person_pseudonym": getattr(person, "pseudonym", "") or "",
        "categories": sorted(set(categories)),
        # Hash what the database will return: detail round-tripped through JSON, and the
        # address in the canonical spelling the field stores (IPv6 is compressed, lower case).
        "detail": json.loads(json.dumps(detail or {}, default=str)),
        "ip": AuditEvent._meta.get_field("ip").get_prep_value(ip),
        "via": via,
    }
