"""How many audit events a second the chain's single head row lets through, by concurrency.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wf_scale .venv/bin/python -m bench.audit_head

Every audited request appends at least one event, and each append locks the one ``AuditHead``
row until its transaction commits. Threads (each with its own database connection) append events
for ``--seconds`` at 1, 2, 4 and 8 at once: (a) each in its own short transaction, as a page's
read event is; (b) inside a transaction that goes on for ``--hold-ms`` after the append (and
before commit), as an action's write does. If the head binds, (a) stops growing with threads
and (b) falls to about 1000 / hold-ms events a second whatever the threads.
"""

from __future__ import annotations

import argparse
import os
import threading
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("WAYFINDER_MANIFEST_STATIC", "0")


def run(threads: int, seconds: float, hold_ms: float) -> float:
    from django.db import connections, transaction

    from wayfinder.audit.events import record

    counts = [0] * threads
    barrier = threading.Barrier(threads + 1)
    stop = [0.0]

    def loop(i: int) -> None:
        barrier.wait()
        while time.perf_counter() < stop[0]:
            with transaction.atomic():
                record("bench.append", category="people", detail={"thread": i})
                if hold_ms:
                    time.sleep(hold_ms / 1000)  # the rest of an action, under the head's lock
            counts[i] += 1
        connections.close_all()

    workers = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    stop[0] = time.perf_counter() + seconds
    start = time.perf_counter()
    barrier.wait()
    for w in workers:
        w.join()
    return sum(counts) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.audit_head")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--hold-ms", type=float, default=5.0)
    args = parser.parse_args()
    import django

    django.setup()
    print(f"load average {os.getloadavg()[0]:.2f}")
    print("threads | events/s, own transaction | events/s, transaction held "
          f"{args.hold_ms:g} ms after the append")  # fmt: skip
    for n in (1, 2, 4, 8):
        short = run(n, args.seconds, 0)
        held = run(n, args.seconds, args.hold_ms)
        print(f"{n:>7} | {short:>8.0f} | {held:>8.0f}", flush=True)


if __name__ == "__main__":
    main()
