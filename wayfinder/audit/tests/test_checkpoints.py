"""Signed checkpoints catch what the hash chain alone cannot: a database administrator who lifts
the triggers, rewrites an event and recomputes every later hash and the head, or cuts the tail
and moves the head back. Each attack runs here on the test database with the triggers dropped.
"""

import base64
import importlib
import json
import logging
import os
from datetime import timedelta
from io import StringIO

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from wayfinder.audit import checkpoints, events, tasks
from wayfinder.audit.checks import audit_deploy_checks, audit_key_checks
from wayfinder.audit.events import _hash, record
from wayfinder.audit.models import AuditCheckpoint, AuditEvent, AuditHead

MIGRATIONS = ("0002_append_only_triggers", "0003_auditcheckpoint")


def _triggers(direction: str) -> None:
    for name in MIGRATIONS:
        m = importlib.import_module(f"wayfinder.audit.migrations.{name}")
        statements = {
            ("sqlite", "up"): m.SQLITE_UP,
            ("sqlite", "down"): m.SQLITE_DOWN,
            ("postgresql", "up"): m.PG_UP,
            ("postgresql", "down"): m.PG_DOWN,
        }[(connection.vendor, direction)]
        with connection.cursor() as cur:
            for sql in statements:
                cur.execute(sql)


@pytest.fixture
def key():
    raw, public, kid = checkpoints.generate_key()
    return {"private": raw, "public": public, "kid": kid}


@pytest.fixture
def signing(db, settings, key, tmp_path):
    settings.WAYFINDER_AUDIT_SIGNING_KEY = key["private"]
    settings.WAYFINDER_AUDIT_VERIFY_KEY = None
    settings.WAYFINDER_AUDIT_WITNESS = str(tmp_path / "witness.jsonl")
    return tmp_path / "witness.jsonl"


@pytest.fixture
def attacker(db):
    """Lifts the append-only triggers (what a table owner can do), and puts them back after."""
    _triggers("down")
    yield
    _triggers("down")
    _triggers("up")


def events_(n: int) -> list[int]:
    return [record("test.event", category="test", detail={"n": i}).seq for i in range(n)]


def checkpoint() -> checkpoints.Checkpoint:
    cp = checkpoints.create_checkpoint()
    assert cp is not None
    return cp


@pytest.fixture
def history(signing):
    """Three signed stretches: 4 events, checkpoint #1, 4 events, #2, 4 events, #3, 2 unsigned."""
    segs = []
    for _ in range(3):
        seqs = events_(4)
        segs.append((seqs, checkpoint()))
    events_(2)
    return segs


def run(*args) -> str:
    out = StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


def broken(*args) -> str:
    with pytest.raises(CommandError) as exc:
        run("verify", *args)
    return str(exc.value)


def rewrite_from(seq: int, detail: dict) -> None:
    """Edit one event, recompute its hash, every later link and hash, and the head."""
    prev = AuditEvent.objects.get(seq=seq - 1).hash if seq > 1 else events.GENESIS
    rows = list(AuditEvent.objects.filter(seq__gte=seq).order_by("seq").values())
    rows[0]["detail"] = detail
    with connection.cursor() as cur:
        for row in rows:
            row["prev_hash"] = prev
            row["hash"] = prev = _hash(row)
            cur.execute(
                "UPDATE audit_auditevent SET detail = %s, prev_hash = %s, hash = %s WHERE seq = %s",
                [json.dumps(row["detail"]), row["prev_hash"], row["hash"], row["seq"]],
            )
    AuditHead.objects.filter(id=1).update(seq=rows[-1]["seq"], hash=prev)


def cut_tail_after(seq: int) -> None:
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent WHERE seq > %s", [seq])
    AuditHead.objects.filter(id=1).update(seq=seq, hash=AuditEvent.objects.get(seq=seq).hash)


# --- signing -------------------------------------------------------------------------------------


def test_sign_and_verify_round_trip(key):
    private = checkpoints.parse_signing_key(key["private"])
    keys = {key["kid"]: checkpoints.parse_verify_keys(key["public"])[0]}
    cp = checkpoints.sign(private, 7, 42, "ab" * 32, timezone.now())
    assert cp.kid == key["kid"] == checkpoints.key_id(private.public_key())
    assert cp.check_signature(keys) == ""
    # Any signed field changed, and the signature no longer holds.
    for change in ({"n": 8}, {"seq": 41}, {"hash": "cd" * 32}, {"at": "2020-01-01T00:00:00+00:00"}):
        forged = checkpoints.Checkpoint(**{**cp.__dict__, **change})
        assert "does not verify" in forged.check_signature(keys)
    # Another key: its key id is unknown; claiming ours does not make its signature ours.
    other = checkpoints.sign(Ed25519PrivateKey.generate(), 7, 42, "ab" * 32, timezone.now())
    assert "not a configured verify key" in other.check_signature(keys)
    spoofed = checkpoints.Checkpoint(**{**other.__dict__, "kid": key["kid"]})
    assert "does not verify" in spoofed.check_signature(keys)


def test_keys_parse_from_base64_and_pem(key):
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    kid = checkpoints.key_id(private.public_key())
    assert checkpoints.key_id(checkpoints.parse_signing_key(pem).public_key()) == kid
    assert [checkpoints.key_id(k) for k in checkpoints.parse_verify_keys(public_pem)] == [kid]
    both = checkpoints.parse_verify_keys(
        f"{key['public']}, {checkpoints.public_key_text(private.public_key())}"
    )
    assert [checkpoints.key_id(k) for k in both] == [key["kid"], kid]
    for bad in ("not-a-key", base64.b64encode(b"short").decode()):
        with pytest.raises(ImproperlyConfigured, match="base64 of 32 bytes"):
            checkpoints.parse_signing_key(bad)


def test_keygen_writes_a_private_file_and_prints_the_public_key(tmp_path, settings):
    out = tmp_path / "audit.key"
    text = run("keygen", "--out", str(out))
    assert oct(os.stat(out).st_mode & 0o777) == "0o600"
    assert out.read_text().strip() not in text  # the private key is not printed
    settings.WAYFINDER_AUDIT_SIGNING_KEY = out.read_text().strip()
    public = run("public-key")
    verify_line = next(line for line in text.splitlines() if "VERIFY_KEY=" in line)
    assert verify_line in public
    with pytest.raises(CommandError, match="cannot create"):
        run("keygen", "--out", str(out))  # never overwrites a key


# --- checkpoints and the witness -----------------------------------------------------------------


def test_checkpoint_is_stored_and_witnessed(signing, key):
    first = events_(3)
    assert "Signed checkpoint #1" in run("checkpoint")
    assert "Nothing new" in run("checkpoint")
    events_(2)
    assert "Signed checkpoint #2" in run("checkpoint")
    rows = list(AuditCheckpoint.objects.order_by("n"))
    assert [r.n for r in rows] == [1, 2]
    assert rows[0].seq == first[-1] and rows[1].seq == first[-1] + 2
    assert rows[1].hash == AuditEvent.objects.get(seq=rows[1].seq).hash
    lines = signing.read_text().splitlines()
    assert len(lines) == 2
    for line, row in zip(lines, rows, strict=True):
        entry = json.loads(line)
        # Only the checkpoint itself: no event contents, no actor, nothing personal.
        assert set(entry) == {"audit_checkpoint", "seq", "hash", "at", "kid", "sig"}
        assert (entry["audit_checkpoint"], entry["seq"], entry["hash"], entry["kid"]) == (
            row.n,
            row.seq,
            row.hash,
            key["kid"],
        )
    out = run("verify", "--witness", str(signing))
    assert "Witness" in out and "2 checkpoint line(s)" in out
    assert "Checkpoints intact: 2 verified; the latest is checkpoint #2" in out
    assert "Audit chain intact" in out


def test_the_log_witness_and_a_log_extract(db, settings, key, caplog, tmp_path):
    settings.WAYFINDER_AUDIT_SIGNING_KEY = key["private"]
    settings.WAYFINDER_AUDIT_WITNESS = "log"
    events_(2)
    with caplog.at_level(logging.INFO, logger="wayfinder.audit.witness"):
        cp = checkpoint()
    assert [r.getMessage() for r in caplog.records if r.name == "wayfinder.audit.witness"] == [
        cp.line()
    ]
    extract = tmp_path / "extract.log"
    extract.write_text(f"2026-12-04 10:00:00 INFO wayfinder.audit.witness {cp.line()}\nother\n")
    assert checkpoints.read_witness(extract) == ([cp], 1)


def test_checkpoint_rows_are_append_only(history):
    n = history[0][1].n
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditCheckpoint.objects.filter(n=n).update(seq=1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditCheckpoint.objects.filter(n=n).delete()


def test_checkpoint_truncate_is_refused_on_postgresql(history, postgres_only):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute("TRUNCATE audit_auditcheckpoint")
    assert AuditCheckpoint.objects.count() == 3


def test_a_broken_chain_is_never_signed(history, attacker):
    seq = history[2][1].seq + 1  # an unsigned event after checkpoint #3
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET detail = %s WHERE seq = %s", ['{"n": 9}', seq])
    events_(1)
    with pytest.raises(CommandError, match=f"Nothing signed: .*event #{seq}"):
        run("checkpoint")
    assert AuditCheckpoint.objects.count() == 3


def test_a_planted_last_checkpoint_is_not_built_on(history, attacker):
    """A forged newest row would let the job walk from it and sign a rewritten chain."""
    head = AuditHead.objects.get(id=1)
    fake = checkpoints.sign(Ed25519PrivateKey.generate(), 4, head.seq, head.hash, timezone.now())
    AuditCheckpoint.objects.create(
        n=4, seq=fake.seq, hash=fake.hash, at=timezone.now(), kid=fake.kid, signature=fake.sig
    )
    events_(1)
    with pytest.raises(CommandError, match=r"Nothing signed: checkpoint #4 .* not a configured"):
        run("checkpoint")
    assert AuditCheckpoint.objects.count() == 4


# --- the attacks ---------------------------------------------------------------------------------


def test_a_rewrite_with_recomputed_hashes_is_reported_back_to_the_last_good_checkpoint(
    history, attacker
):
    (_seg1, cp1), (seg2, cp2), _ = history
    rewrite_from(seg2[1], {"n": "rewritten"})
    assert events.verify().ok  # the chain alone no longer sees it: this is the attack
    message = broken()
    assert "agree with each other, but not with the signed checkpoints" in message
    assert f"checkpoint #2 (event #{cp2.seq}" in message
    assert f"no longer matches event #{cp2.seq}: history up to it was rewritten" in message
    assert "checkpoint #3" in message  # everything after the rewrite is off too
    assert f"Last good checkpoint: checkpoint #1 (event #{cp1.seq}" in message


def test_cutting_the_tail_and_moving_the_head_back_is_reported(history, attacker):
    (_seg1, cp1), (seg2, cp2), (_seg3, _cp3) = history
    cut_tail_after(seg2[1])  # inside the second stretch, below checkpoints #2 and #3
    assert events.verify().ok
    message = broken()
    assert (
        f"checkpoint #2 (event #{cp2.seq}, signed {cp2.at}), from the database, vouches for "
        f"event #{cp2.seq}, but the chain ends at #{seg2[1]}: events were cut and the head "
        "moved back"
    ) in message
    assert f"Last good checkpoint: checkpoint #1 (event #{cp1.seq}" in message


def test_cutting_the_tail_and_writing_a_new_one_is_reported(history, attacker):
    (_, cp1), (seg2, cp2), _ = history
    cut_tail_after(seg2[0])
    events_(12)  # past every checkpoint again, with a different history
    assert events.verify().ok
    message = broken()
    assert f"no longer matches event #{cp2.seq}" in message
    assert f"Last good checkpoint: checkpoint #1 (event #{cp1.seq}" in message


def test_a_checkpoint_forged_with_another_key_is_reported(history, attacker):
    (_, _cp1), (_, _cp2), (_, cp3) = history
    forger = Ed25519PrivateKey.generate()
    head = AuditHead.objects.get(id=1)
    fake = checkpoints.sign(forger, 4, head.seq, head.hash, timezone.now())
    AuditCheckpoint.objects.create(
        n=4, seq=fake.seq, hash=fake.hash, at=timezone.now(), kid=fake.kid, signature=fake.sig
    )
    message = broken()
    assert f"checkpoint #4 (event #{head.seq}" in message
    assert f"is signed by key {fake.kid}, which is not a configured verify key" in message
    assert f"Last good checkpoint: checkpoint #3 (event #{cp3.seq}" in message


def test_an_altered_checkpoint_is_reported(history, attacker):
    """Someone rewrites history and then moves checkpoint #2 to match: its signature fails."""
    (_seg1, cp1), (seg2, cp2), _ = history
    rewrite_from(seg2[0], {"n": "rewritten"})
    AuditCheckpoint.objects.filter(n=2).update(hash=AuditEvent.objects.get(seq=cp2.seq).hash)
    message = broken()
    assert "checkpoint #2" in message and "signature that does not verify" in message
    assert f"Last good checkpoint: checkpoint #1 (event #{cp1.seq}" in message


def test_deleted_checkpoints_are_caught_by_the_numbering_and_the_witness(
    history, attacker, signing
):
    (seg1, cp1), (seg2, cp2), (_, cp3) = history
    witness = str(signing)
    # Rewrite inside stretch 2, then delete the checkpoints that would show it.
    rewrite_from(seg2[0], {"n": "rewritten"})
    AuditCheckpoint.objects.filter(n__gte=2).delete()
    # The database alone now looks fine: this is why the witness lives elsewhere.
    assert "Audit chain intact" in run("verify")
    message = broken("--witness", witness)
    assert (
        f"checkpoint #2 (event #{cp2.seq}, signed {cp2.at}), from the witness, is in the "
        "witness but not in the database (deleted, or signed over)" in message
    )
    assert f"no longer matches event #{cp2.seq}" in message
    assert f"Last good checkpoint: checkpoint #1 (event #{cp1.seq}" in message
    # A checkpoint removed from the middle shows as a gap even without the witness.
    AuditCheckpoint.objects.create(
        n=3, seq=cp3.seq, hash=cp3.hash, at=timezone.now(), kid=cp3.kid, signature=cp3.sig
    )
    rewrite_from(seg1[0], {"n": "another"})
    message = broken()
    assert "checkpoint(s) #2 are missing from the database" in message


def test_checkpoints_deleted_from_the_end_stop_the_job_and_show_in_the_witness(
    history, attacker, signing, settings
):
    (_, cp1), (seg2, cp2), _ = history
    cut_tail_after(seg2[0])
    AuditCheckpoint.objects.filter(n__gte=2).delete()
    assert "Audit chain intact" in run("verify")  # the database alone cannot tell
    events_(1)
    # The job reads its witness file first and will not sign over the gap.
    with pytest.raises(CommandError, match=r"the witness holds checkpoint #3 .* were deleted"):
        run("checkpoint")
    assert AuditCheckpoint.objects.count() == 1
    # With the witness elsewhere (the log), the job signs a new #2 over the cut; the witness
    # file still shows the old #2 and #3, which a database copy no longer has.
    settings.WAYFINDER_AUDIT_WITNESS = "log"
    assert "Signed checkpoint #2" in run("checkpoint")
    message = broken("--witness", str(signing))
    assert (
        f"checkpoint #2 (event #{cp2.seq}, signed {cp2.at}), from the witness, is in the witness "
        "but not in the database (deleted, or signed over); vouches for event "
        f"#{cp2.seq}, but the chain ends at #{seg2[0] + 1}"
    ) in message
    assert f"Last good checkpoint: checkpoint #1 (event #{cp1.seq}" in message


def test_a_checkpoint_signed_with_a_key_only_the_verifier_knows(history, settings, key):
    """A verifying host needs only the public key."""
    settings.WAYFINDER_AUDIT_SIGNING_KEY = None
    settings.WAYFINDER_AUDIT_VERIFY_KEY = key["public"]
    assert "Checkpoints intact: 3 verified" in run("verify")
    settings.WAYFINDER_AUDIT_VERIFY_KEY = checkpoints.generate_key()[1]  # after a wrong rotation
    assert "not a configured verify key" in broken()


# --- not configured, and the deploy check --------------------------------------------------------


def test_without_keys_verify_does_todays_checks_and_says_so(db, settings):
    settings.WAYFINDER_AUDIT_SIGNING_KEY = None
    settings.WAYFINDER_AUDIT_VERIFY_KEY = None
    events_(3)
    out = run("verify")
    assert "Signed checkpoints are not configured" in out
    assert "Audit chain intact" in out
    with pytest.raises(CommandError, match="not configured"):
        run("checkpoint")
    with pytest.raises(CommandError, match="needs WAYFINDER_AUDIT_VERIFY_KEY"):
        run("verify", "--witness", os.devnull)
    assert [w.id for w in audit_deploy_checks(None)] == ["audit.W001"]


def test_a_bad_key_fails_the_system_check(settings, key):
    settings.WAYFINDER_AUDIT_SIGNING_KEY = key["private"]
    assert audit_key_checks(None) == [] and audit_deploy_checks(None) == []
    settings.WAYFINDER_AUDIT_SIGNING_KEY = "not a key"
    assert [e.id for e in audit_key_checks(None)] == ["audit.E001"]


# --- the periodic task ---------------------------------------------------------------------------


def waiting_runs():
    return list(DBTaskResult.objects.filter(task_path=tasks.checkpoint.module_path, status="READY"))


def test_the_task_signs_and_schedules_its_next_run_once(signing, settings):
    settings.WAYFINDER_AUDIT_CHECKPOINT_MINUTES = 15
    assert "enqueued" in run("schedule")
    assert "already scheduled" in run("schedule")
    assert len(waiting_runs()) == 1
    DBTaskResult.objects.all().delete()  # the worker took it

    events_(2)
    before = timezone.now()
    assert tasks.checkpoint.call() == 1
    [next_run] = waiting_runs()
    assert before + timedelta(minutes=15) <= next_run.run_after
    assert next_run.run_after <= timezone.now() + timedelta(minutes=15)
    # Nothing new: nothing signed, and still only one run waiting (no second cycle).
    assert tasks.checkpoint.call() is None
    assert len(waiting_runs()) == 1
    assert AuditCheckpoint.objects.count() == 1


def test_the_task_stops_without_a_key(db, settings):
    settings.WAYFINDER_AUDIT_SIGNING_KEY = None
    assert tasks.checkpoint.call() is None
    assert waiting_runs() == []
    with pytest.raises(CommandError, match="not configured"):
        run("schedule")


# --- the walk under concurrent appends -----------------------------------------------------------


def test_events_appended_while_the_walk_runs_are_walked_too(signing, monkeypatch):
    """A busy system appends while the job walks: that is no break, and the newest head is signed."""
    events_(3)
    read_head, appended = AuditHead.objects.filter, []

    def another_request_appends_first(*args, **kwargs):
        if not appended:
            appended.append(record("test.concurrent", category="test").seq)
        return read_head(*args, **kwargs)

    monkeypatch.setattr(AuditHead.objects, "filter", another_request_appends_first)
    cp = checkpoint()
    assert cp.seq == appended[0]


def test_a_head_moved_back_over_events_still_there_is_caught(history, attacker):
    (_, cp1), (seg2, _), _ = history
    last = AuditEvent.objects.order_by("-seq").first()
    AuditHead.objects.filter(id=1).update(
        seq=seg2[0], hash=AuditEvent.objects.get(seq=seg2[0]).hash
    )
    message = broken()
    assert (
        f"BROKEN at event #{seg2[0] + 1}: the head is at #{seg2[0]}, behind event #{last.seq}"
        in (message)
    )
    assert f"Last good checkpoint: checkpoint #1 (event #{cp1.seq}" in message


def test_a_failing_run_still_schedules_the_next(history, attacker):
    seq = history[2][1].seq + 1
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET detail = %s WHERE seq = %s", ['{"n": 9}', seq])
    with pytest.raises(checkpoints.ChainBroken):
        tasks.checkpoint.call()
    assert len(waiting_runs()) == 1  # it keeps trying, and keeps logging the error


def test_verify_notes_a_stale_checkpoint(signing, settings, monkeypatch):
    settings.WAYFINDER_AUDIT_CHECKPOINT_MINUTES = 60
    events_(2)
    monkeypatch.setattr(checkpoints, "_now", lambda: timezone.now() - timedelta(hours=3))
    checkpoint()
    events_(1)
    out = run("verify")
    assert "1 event(s) after the latest checkpoint are not signed yet" in out
    assert "the latest checkpoint is 180 minutes old: is the checkpoint task running" in out
    assert "Audit chain intact" in out
