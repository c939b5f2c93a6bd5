"""Write and verify the audit trail. Call ``record()`` inside the action's transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC
from typing import TYPE_CHECKING, Any

from django.db import transaction
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
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        values = {
            "seq": head.seq + 1,
            "at": timezone.now(),
            "actor_id": user_id,
            "agency_id": agency_id,
            "action": action,
            "category": category,
            "object_type": object_type,
            "object_id": object_id,
            "person_pseudonym": getattr(person, "pseudonym", "") or "",
            "categories": sorted(set(categories)),
            "detail": detail or {},
            "ip": ip,
            "via": via,
            "prev_hash": head.hash,
        }
        # Hash what the database will return: detail round-tripped through JSON, and the
        # address in the canonical spelling the field stores (IPv6 is compressed, lower case).
        values["detail"] = json.loads(json.dumps(values["detail"], default=str))
        values["ip"] = AuditEvent._meta.get_field("ip").get_prep_value(ip)
        digest = _hash(values)
        event = AuditEvent.objects.create(**values, hash=digest)
        head.seq, head.hash = event.seq, digest
        head.save(update_fields=["seq", "hash"])
    return event


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
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        seq, prev_hash, rows = head.seq, head.hash, []
        for kwargs in events:
            values = _values(**kwargs)
            seq += 1
            values.update(seq=seq, prev_hash=prev_hash)
            prev_hash = _hash(values)
            rows.append(AuditEvent(**values, hash=prev_hash))
        AuditEvent.objects.bulk_create(rows)
        head.seq, head.hash = seq, prev_hash
        head.save(update_fields=["seq", "hash"])
    return rows


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
