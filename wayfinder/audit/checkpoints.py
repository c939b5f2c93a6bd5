"""Signed checkpoints of the audit chain: what a database administrator cannot forge.

The hash chain alone uses no secret, so someone who can lift the append-only triggers can edit an
event and recompute every later hash and the head, or cut the tail and move the head back. A
checkpoint signs the head (checkpoint number ``n``, event ``seq``, its ``hash``, the time ``at``)
with an Ed25519 key that is kept outside the database. Each checkpoint is stored in
``AuditCheckpoint`` and written as one JSON line to the operator's witness (a file or the log), so
deleting checkpoint rows does not delete the evidence either. ``verify()`` then checks the chain
against every checkpoint: a rewrite up to a checkpoint, a tail cut below one, and a checkpoint not
signed by a known key are all breaks. See "Audit trail" in docs/architecture.md for what this does
and does not protect against.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from wayfinder.audit import events
from wayfinder.audit.models import AuditCheckpoint, AuditHead

logger = logging.getLogger(__name__)
witness_logger = logging.getLogger("wayfinder.audit.witness")

# Domain separation: a checkpoint signature can never be mistaken for any other signed message.
CONTEXT = b"wayfinder.audit.checkpoint.v1\n"
_PEM = re.compile(r"-----BEGIN [A-Z ]+-----.+?-----END [A-Z ]+-----", re.S)


class NotConfigured(Exception):
    """No signing key (to make checkpoints) or no verify key (to check them)."""


class ChainBroken(Exception):
    """The chain does not verify from the last checkpoint; nothing is signed."""


# --- keys ----------------------------------------------------------------------------------------


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """First 16 hex digits of SHA-256 over the raw public key: names the key, reveals nothing."""
    return hashlib.sha256(_raw_public(key)).hexdigest()[:16]


def public_key_text(key: Ed25519PublicKey) -> str:
    return base64.b64encode(_raw_public(key)).decode()


def _b64_32(text: str, what: str) -> bytes:
    """32 bytes from standard or URL-safe base64, padding optional."""
    value = text.strip()
    value += "=" * (-len(value) % 4)
    for altchars in (None, b"-_"):
        try:
            raw = base64.b64decode(value, altchars=altchars, validate=True)
        except (binascii.Error, ValueError):
            continue
        if len(raw) == 32:
            return raw
    raise ImproperlyConfigured(f"{what} must be base64 of 32 bytes (or a PEM key)")


def parse_signing_key(text: str) -> Ed25519PrivateKey:
    """Base64 of the 32-byte private key (``audit keygen``), or a PKCS#8 PEM file
    (``openssl genpkey -algorithm ed25519``)."""
    what = "WAYFINDER_AUDIT_SIGNING_KEY"
    if "-----BEGIN" in text:
        try:
            key = serialization.load_pem_private_key(text.strip().encode(), password=None)
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured(f"{what}: not a readable PEM private key ({exc})") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise ImproperlyConfigured(f"{what}: the PEM key is not an Ed25519 key")
        return key
    return Ed25519PrivateKey.from_private_bytes(_b64_32(text, what))


def parse_verify_keys(text: str) -> list[Ed25519PublicKey]:
    """Base64 public keys separated by commas or white space, or PEM public keys."""
    what = "WAYFINDER_AUDIT_VERIFY_KEY"
    keys: list[Ed25519PublicKey] = []
    if "-----BEGIN" in text:
        for block in _PEM.findall(text):
            try:
                key = serialization.load_pem_public_key(block.encode())
            except (ValueError, TypeError) as exc:
                raise ImproperlyConfigured(
                    f"{what}: not a readable PEM public key ({exc})"
                ) from None
            if not isinstance(key, Ed25519PublicKey):
                raise ImproperlyConfigured(f"{what}: a PEM key is not an Ed25519 key")
            keys.append(key)
        return keys
    for part in re.split(r"[\s,]+", text.strip()):
        if part:
            keys.append(Ed25519PublicKey.from_public_bytes(_b64_32(part, what)))
    return keys


def signing_key() -> Ed25519PrivateKey | None:
    text = settings.WAYFINDER_AUDIT_SIGNING_KEY
    return parse_signing_key(text) if text else None


def verify_keys() -> dict[str, Ed25519PublicKey]:
    """Every key a checkpoint may be signed with, by key id: the configured public keys, and the
    public half of the signing key if this host has it."""
    keys = parse_verify_keys(settings.WAYFINDER_AUDIT_VERIFY_KEY or "")
    private = signing_key()
    if private is not None:
        keys.append(private.public_key())
    return {key_id(k): k for k in keys}


def generate_key() -> tuple[str, str, str]:
    """A new key: (private key base64, public key base64, key id)."""
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    public = private.public_key()
    return base64.b64encode(raw).decode(), public_key_text(public), key_id(public)


# --- checkpoints ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """One signed checkpoint, as stored and as written to the witness (no personal data)."""

    n: int
    seq: int
    hash: str
    at: str  # ISO 8601, UTC, to the second
    kid: str
    sig: str  # base64

    def message(self) -> bytes:
        body = {"n": self.n, "seq": self.seq, "hash": self.hash, "at": self.at, "kid": self.kid}
        return CONTEXT + json.dumps(body, sort_keys=True, separators=(",", ":")).encode()

    def line(self) -> str:
        """The witness line: one JSON object."""
        return json.dumps(
            {
                "audit_checkpoint": self.n,
                "seq": self.seq,
                "hash": self.hash,
                "at": self.at,
                "kid": self.kid,
                "sig": self.sig,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_row(cls, row: AuditCheckpoint) -> Checkpoint:
        return cls(row.n, row.seq, row.hash, _iso(row.at), row.kid, row.signature)

    def check_signature(self, keys: dict[str, Ed25519PublicKey]) -> str:
        """Empty when the signature holds, else why not."""
        key = keys.get(self.kid)
        if key is None:
            return f"is signed by key {self.kid}, which is not a configured verify key"
        try:
            key.verify(base64.b64decode(self.sig, validate=True), self.message())
        except (InvalidSignature, binascii.Error, ValueError):
            return "has a signature that does not verify (forged or altered)"
        return ""

    def describe(self) -> str:
        return f"checkpoint #{self.n} (event #{self.seq}, signed {self.at})"


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).replace(microsecond=0).isoformat()


def sign(private: Ed25519PrivateKey, n: int, seq: int, digest: str, at: datetime) -> Checkpoint:
    kid = key_id(private.public_key())
    unsigned = Checkpoint(n, seq, digest, _iso(at), kid, "")
    sig = base64.b64encode(private.sign(unsigned.message())).decode()
    return Checkpoint(n, seq, digest, unsigned.at, kid, sig)


def create_checkpoint(*, force: bool = False) -> Checkpoint | None:
    """Verify the chain from the last checkpoint to the head, then sign the head.

    Returns None when nothing was appended since the last checkpoint (unless ``force``). Raises
    NotConfigured without a signing key and ChainBroken when the chain does not verify: a broken
    chain is never signed. The checkpoint is written to the witness after it is committed.
    """
    private = signing_key()
    if private is None:
        raise NotConfigured("WAYFINDER_AUDIT_SIGNING_KEY (or _FILE) is not set")
    last = AuditCheckpoint.objects.order_by("-n").first()
    if last is not None:
        # The walk starts from the last checkpoint: it must really be ours, not a row planted to
        # make a rewritten chain look continuous.
        problem = Checkpoint.from_row(last).check_signature(verify_keys())
        if problem:
            raise ChainBroken(f"{Checkpoint.from_row(last).describe()} {problem}")
    ahead = _witness_ahead(last)
    if ahead:
        raise ChainBroken(ahead)
    # Walk without holding the head lock: audited writes carry on meanwhile. The walk ends at the
    # head it read, and that (seq, hash) is what gets signed.
    start = (last.seq, last.hash) if last else None
    result = events.verify(start=start)
    if not result.ok:
        since = f"since {Checkpoint.from_row(last).describe()}" if last else "from the start"
        raise ChainBroken(
            f"the chain does not verify {since}: event #{result.broken_seq}: {result.reason}"
        )
    if last and last.seq == result.last_seq and not force:
        return None
    with transaction.atomic():
        # The head lock orders checkpoint writers (and keeps ``n`` free of gaps and duplicates).
        AuditHead.objects.select_for_update().get_or_create(id=1)
        last = AuditCheckpoint.objects.order_by("-n").first()
        if last and last.seq > result.last_seq:
            return None  # another writer signed a newer head meanwhile
        cp = sign(private, (last.n + 1) if last else 1, result.last_seq, result.last_hash, _now())
        AuditCheckpoint.objects.create(
            n=cp.n,
            seq=cp.seq,
            hash=cp.hash,
            at=datetime.fromisoformat(cp.at),
            kid=cp.kid,
            signature=cp.sig,
        )
    write_witness(cp)
    return cp


def _witness_ahead(last: AuditCheckpoint | None) -> str:
    """A witness file that holds a newer (or a different) checkpoint than the database's newest:
    checkpoint rows were deleted, and signing on would paper over it."""
    target = settings.WAYFINDER_AUDIT_WITNESS
    if target in {"", "-", "log"} or not os.path.exists(target):
        return ""
    keys = verify_keys()
    found = [cp for cp in read_witness(Path(target))[0] if not cp.check_signature(keys)]
    if not found:
        return ""
    newest = max(found, key=lambda cp: cp.n)
    ours = Checkpoint.from_row(last) if last else None
    if ours is None or newest.n > ours.n or (newest.n == ours.n and newest != ours):
        return (
            f"the witness holds {newest.describe()}, which the database does not: "
            "checkpoint rows were deleted"
        )
    return ""


def _now() -> datetime:
    return timezone.now()


def write_witness(cp: Checkpoint) -> None:
    target = settings.WAYFINDER_AUDIT_WITNESS
    if not target:
        return
    if target in {"-", "log"}:
        witness_logger.info(cp.line())
        return
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (cp.line() + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def read_witness(path: Path) -> tuple[list[Checkpoint], int]:
    """Checkpoints from a witness file or an extract of the log (each line may carry a log
    prefix before the JSON object). Returns them and the number of lines that held none."""
    found, other = [], 0
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            start = line.find('{"audit_checkpoint"')
            if start < 0:
                other += bool(line.strip())
                continue
            try:
                d = json.loads(line[start:])
                found.append(
                    Checkpoint(
                        int(d["audit_checkpoint"]),
                        int(d["seq"]),
                        str(d["hash"]),
                        str(d["at"]),
                        str(d["kid"]),
                        str(d["sig"]),
                    )
                )
            except (ValueError, KeyError, TypeError):
                other += 1
    return found, other


# --- verification --------------------------------------------------------------------------------


@dataclass
class Report:
    """``audit verify``: the chain's own checks, then the checks against signed checkpoints."""

    chain: events.VerifyResult
    configured: bool
    checkpoints: int = 0  # distinct checkpoints checked (database and witness)
    breaks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    last_good: Checkpoint | None = None
    latest: Checkpoint | None = None

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.breaks


def verify(witness: list[Checkpoint] | None = None) -> Report:
    """Check the chain, then every checkpoint (from the database and the witness, if given).

    A break is: a checkpoint whose signature fails or whose key is unknown; a checkpoint whose
    event no longer has the signed hash (history rewritten, hashes recomputed); a checkpoint
    beyond the end of the chain (tail cut, head moved back); a checkpoint missing from the
    database (deleted rows). ``last_good`` is the newest checkpoint before the first break.
    """
    stored = [Checkpoint.from_row(r) for r in AuditCheckpoint.objects.order_by("n")]
    keys = verify_keys()
    if not keys:
        chain = events.verify()
        report = Report(chain, configured=False)
        if stored or witness:
            report.notes.append(
                f"{len(stored)} stored checkpoint(s) not checked: no WAYFINDER_AUDIT_VERIFY_KEY "
                "or WAYFINDER_AUDIT_SIGNING_KEY is configured."
            )
        return report

    # Every distinct checkpoint, from either source; the same n twice with different contents
    # means one copy was altered, and each copy is judged on its own signature.
    by_n: dict[int, list[tuple[Checkpoint, str]]] = {}
    for cp in stored:
        by_n.setdefault(cp.n, []).append((cp, "database"))
    stored_ns = {cp.n for cp in stored}
    for cp in witness or []:
        entries = by_n.setdefault(cp.n, [])
        if all(cp != other for other, _ in entries):
            entries.append((cp, "witness"))
    chain = events.verify(want={cp.seq for entries in by_n.values() for cp, _ in entries})
    report = Report(chain, configured=True)
    report.checkpoints = sum(len(v) for v in by_n.values())

    # Where the chain's own walk stopped being trustworthy.
    chain_end = chain.last_seq if chain.ok else (chain.broken_seq or 1) - 1
    first_bad: int | None = None  # n of the first bad checkpoint
    good: list[Checkpoint] = []
    for n in sorted(by_n):
        for cp, source in by_n[n]:
            signature = cp.check_signature(keys)
            problems = [signature] if signature else []
            if not signature:  # only a checkpoint that is really ours says anything of the chain
                if source == "witness" and cp not in stored:
                    problems.append(
                        "is in the witness but not in the database (deleted, or signed over)"
                    )
                if cp.seq > chain.last_seq and chain.ok:
                    problems.append(
                        f"vouches for event #{cp.seq}, but the chain ends at "
                        f"#{chain.last_seq}: events were cut and the head moved back"
                    )
                elif cp.seq <= chain_end and chain.seen.get(cp.seq) != cp.hash:
                    problems.append(
                        f"no longer matches event #{cp.seq}: history up to it was rewritten "
                        "(with recomputed hashes)"
                    )
            if problems:
                report.breaks.append(f"{cp.describe()}, from the {source}, {'; '.join(problems)}")
                first_bad = n if first_bad is None else min(first_bad, n)
            elif cp.seq <= chain_end:
                good.append(cp)
    # Numbers with no checkpoint at all, between the first and the last: deleted everywhere.
    if by_n:
        missing = sorted(set(range(1, max(by_n) + 1)) - set(by_n))
        if missing:
            report.breaks.append(
                f"checkpoint(s) #{', #'.join(map(str, missing[:10]))} are missing from the "
                "database (deleted rows)"
            )
            first_bad = missing[0] if first_bad is None else min(first_bad, missing[0])
    if witness is not None:
        absent = sorted(stored_ns - {cp.n for cp in witness})
        if absent:
            report.notes.append(
                f"the witness lacks {len(absent)} checkpoint(s) the database holds "
                f"(#{absent[0]} to #{absent[-1]}): was it set up later, or rotated?"
            )
    good = [cp for cp in good if first_bad is None or cp.n < first_bad]
    if not chain.ok:
        good = [cp for cp in good if cp.seq < (chain.broken_seq or 1)]
    report.last_good = max(good, key=lambda cp: cp.n, default=None)
    if report.ok:
        latest = report.latest = report.last_good
        if latest is None:
            report.notes.append("no checkpoint yet: run `manage.py audit checkpoint`.")
        else:
            unsigned = chain.last_seq - latest.seq
            age = timezone.now() - datetime.fromisoformat(latest.at)
            if unsigned:
                report.notes.append(
                    f"{unsigned} event(s) after the latest checkpoint are not signed yet."
                )
            limit = timedelta(minutes=2 * settings.WAYFINDER_AUDIT_CHECKPOINT_MINUTES)
            if unsigned and age > limit:
                report.notes.append(
                    f"the latest checkpoint is {int(age.total_seconds() // 60)} minutes old: "
                    "is the checkpoint task running (`manage.py audit schedule`, db_worker)?"
                )
    return report
