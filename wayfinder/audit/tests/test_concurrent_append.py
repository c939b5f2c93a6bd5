"""Appends from many connections at once still make one chain: no gap, no duplicate, no fork.

Each append locks the head row, hashes over the head it read, and moves the head only from
there; on PostgreSQL the threads really do wait on each other's lock. Half the appends run in
their own transaction (a page's read event), half inside a longer one that goes on after the
append (an action), and the chain starts empty, so the first appends also race to make the head.
"""

import itertools
import threading
import time

import pytest
from django.db import connections, transaction

from wayfinder.audit.events import record, verify
from wayfinder.audit.models import AuditEvent, AuditHead

THREADS = 8
EACH = 25


@pytest.mark.postgres
def test_concurrent_appends_make_one_gapless_chain_that_verifies(
    postgres_only: None, transactional_db: None
) -> None:
    before = AuditEvent.objects.count()
    barrier = threading.Barrier(THREADS)
    errors: list[str] = []

    def append(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            for n in range(EACH):
                if n % 2:
                    with transaction.atomic():
                        record("test.concurrent", category="test", detail={"t": i, "n": n})
                        time.sleep(0.001)  # the rest of the action, under the head's lock
                else:
                    record("test.concurrent", category="test", detail={"t": i, "n": n})
        except Exception as exc:  # reported below: any error fails the test
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert errors == []
    rows = list(AuditEvent.objects.order_by("seq").values("seq", "prev_hash", "hash", "detail"))
    assert len(rows) == before + THREADS * EACH
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))  # no gap, no duplicate
    assert all(b["prev_hash"] == a["hash"] for a, b in itertools.pairwise(rows))
    mine = sorted((r["detail"]["t"], r["detail"]["n"]) for r in rows[before:])
    assert mine == [(i, n) for i in range(THREADS) for n in range(EACH)]  # every append, once
    head = AuditHead.objects.get(id=1)
    assert (head.seq, head.hash) == (rows[-1]["seq"], rows[-1]["hash"])
    result = verify()
    assert result.ok, result.reason
    assert result.checked == len(rows)
