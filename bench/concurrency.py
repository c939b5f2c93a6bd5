"""Many signed-in staff at once: requests per second and p95 at 1, 2, 4 and 8 clients.

    .venv/bin/python -m bench.concurrency                 # PostgreSQL, 10,000 persons, 5 s a level
    .venv/bin/python -m bench.concurrency --seconds 2 --persons 2000   # a quick look

On a fresh PostgreSQL database (``bench/prepare.py --demo``: the demo network plus ``--persons``
bulk persons at its lead agency), a real gunicorn (``config/gunicorn.conf.py``, 4 gthread workers
of one thread each, keep-alive) serves; each client is a thread with one keep-alive
``http.client`` connection that signed in once through the login form (or holds an API token).

Measured at each level, for ``--seconds`` each: the floor (``/bench/floor``), the person page,
the person list, the dashboard (as the lead agency's navigator), a partner's referral inbox (as
legal aid's lawyer) and an audited API read (``GET /api/v1/persons/{id}``). Then a **mix** of the
navigator's pages (person page, list) and the API read, read-only and again with every tenth request an audited write
(a plan note through the form, or a referral update through the API, in turn): the throughput
the writes cost shows whether the audit chain's single head row binds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from bench.__main__ import (
    GUNICORN,
    PYTHON,
    ROOT,
    Http,
    bench_env,
    drop_postgres,
    free_port,
    fresh_postgres,
    percentile,
    sign_in,
    wait_until_up,
)

RESULTS = ROOT / "bench" / "results" / "concurrency.json"
LEVELS = (1, 2, 4, 8)
WORKERS = 4
OK = {200, 201, 302}


def measure(clients: list, op, seconds: float) -> dict:
    """Every client runs ``op(client, k)`` (k = 0, 1, …) in its own thread for ``seconds``."""
    samples: list[list[float]] = [[] for _ in clients]
    statuses: list[dict[int, int]] = [{} for _ in clients]
    start = threading.Barrier(len(clients) + 1)
    deadline = [0.0]

    def loop(i: int) -> None:
        start.wait()
        k = 0
        while time.perf_counter() < deadline[0]:
            t = time.perf_counter()
            status = op(clients[i], k)
            samples[i].append((time.perf_counter() - t) * 1000)
            statuses[i][status] = statuses[i].get(status, 0) + 1
            k += 1

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    deadline[0] = time.perf_counter() + seconds
    t0 = time.perf_counter()
    start.wait()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    flat = [ms for s in samples for ms in s]
    counted: dict[int, int] = {}
    for s in statuses:
        for code, n in s.items():
            counted[code] = counted.get(code, 0) + n
    return {
        "clients": len(clients),
        "requests": len(flat),
        "rps": round(len(flat) / elapsed, 1),
        "median_ms": round(statistics.median(flat), 1) if flat else None,
        "p95_ms": round(percentile(flat, 95), 1) if flat else None,
        "statuses": {str(k): v for k, v in sorted(counted.items())},
    }


class Client:
    """One signed-in member of staff: a web connection (session) and an API one (token)."""

    def __init__(self, port: int, email: str | None, password: str, token: str):
        self.web = Http(port)
        if email:
            sign_in(self.web, email, password)
        self.api = Http(port)
        self.bearer = {"Authorization": f"Bearer {token}"}

    def get(self, path: str) -> int:
        return self.web.get(path)[0]

    def api_get(self, path: str) -> int:
        return self.api.get(path, self.bearer)[0]

    def post_form(self, path: str, data: dict) -> int:
        body = urlencode({"csrfmiddlewaretoken": self.web.cookies.get("csrftoken", ""), **data})
        return self.web.request(
            "POST",
            path,
            body=body.encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.web.port}/",
            },
        )[0]

    def api_post(self, path: str, data: dict) -> int:
        return self.api.request(
            "POST",
            path,
            body=json.dumps(data).encode(),
            headers={**self.bearer, "Content-Type": "application/json"},
        )[0]

    def close(self) -> None:
        self.web.close()
        self.api.close()


def run(args) -> dict:
    url = fresh_postgres()
    if url is None:
        raise SystemExit("PostgreSQL is needed for the concurrency benchmark")
    var_dir = Path(tempfile.mkdtemp(prefix="wayfinder-bench-"))
    env = bench_env(var_dir, url)
    env["WEB_CONCURRENCY"] = str(WORKERS)
    server = None
    try:
        print(f"[concurrency] demo network + {args.persons:,} persons …", flush=True)
        prepared = subprocess.run(
            [
                PYTHON,
                "-m",
                "bench.prepare",
                str(args.persons),
                "--demo",
                "--agencies",
                str(args.agencies),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if prepared.returncode != 0:
            raise RuntimeError(f"prepare failed:\n{prepared.stderr[-3000:]}")
        info = json.loads(prepared.stdout.strip().splitlines()[-1])
        print(f"[concurrency] seeded in {info['seed_s']} s", flush=True)
        port = free_port()
        server = subprocess.Popen(
            [
                GUNICORN,
                "-c",
                str(ROOT / "config" / "gunicorn.conf.py"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
                "--worker-class",
                # gthread keeps connections alive (the sync worker closes each one); a busy
                # gthread worker still accepts, so two clients may share one worker
                # (docs/benchmarks.md, eighth round). BENCH_WORKER_CLASS=sync to compare.
                os.environ.get("BENCH_WORKER_CLASS", "gthread"),
                "--threads",
                "1",
                "--keep-alive",
                "75",
                "--access-logfile",
                "/dev/null",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        wait_until_up(port, server)
        return measure_all(port, info, args)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
            errors = server.stderr.read() if server.stderr else ""
            if errors.strip():
                print(f"[concurrency] server said:\n{errors[-2000:]}", flush=True)
        shutil.rmtree(var_dir, ignore_errors=True)
        if not args.keep:
            drop_postgres()


def measure_all(port: int, info: dict, args) -> dict:
    most = max(args.levels)
    token, password = info["api_token"], info["password"]
    navs = [Client(port, info["email"], password, token) for _ in range(most)]
    partners = [Client(port, info["partner_email"], password, token) for _ in range(most)]
    person, referral = info["person_id"], info["referral_id"]
    pages = [
        ("/bench/floor", navs, lambda c, k: c.get("/bench/floor")),
        ("person page", navs, lambda c, k: c.get(f"/people/{person}/")),
        ("person list", navs, lambda c, k: c.get("/people/")),
        ("dashboard", navs, lambda c, k: c.get("/")),
        ("partner inbox", partners, lambda c, k: c.get("/referrals/")),
        ("API person read", navs, lambda c, k: c.api_get(f"/api/v1/persons/{person}")),
    ]
    # The mix: the person page, the list and the API read, in turn (each appends an audit event).
    # The dashboard, measured on its own above, is left out: its 200-row caseload would make the
    # mix so slow that a 5 s level held only a handful of writes.
    reads = [
        lambda c: c.get(f"/people/{person}/"),
        lambda c: c.get("/people/"),
        lambda c: c.api_get(f"/api/v1/persons/{person}"),
    ]
    writes = [
        lambda c: c.post_form(
            f"/plans/person/{person}/notes/new/",
            {"text": "Called back; next visit on Tuesday.", "visibility": "care_team"},
        ),
        lambda c: c.api_post(
            f"/api/v1/referrals/{referral}/updates/", {"note": "Intake call booked."}
        ),
    ]

    def read_mix(c, k):
        return reads[k % len(reads)](c)

    def write_mix(c, k):
        if k % 10 == 9:  # every tenth request an audited write, plan note and referral in turn
            return writes[(k // 10) % len(writes)](c)
        return reads[k % len(reads)](c)

    # Each page answers as expected before anything is timed (and warms every worker).
    for label, clients, op in pages:
        for c in clients:
            for k in range(2):
                status = op(c, k)
                if status != 200:
                    raise RuntimeError(f"{label} answered {status} during warm-up")
    for w in writes:
        status = w(navs[0])
        if status not in OK:
            raise RuntimeError(f"a write answered {status} during warm-up")

    results: dict = {"pages": {}, "mix": {}}
    for label, clients, op in pages:
        results["pages"][label] = []
        for n in args.levels:
            r = measure(clients[:n], op, args.seconds)
            results["pages"][label].append(r)
            print(f"[concurrency] {label:<16} {n} clients: {r['rps']:7.1f} req/s", flush=True)
    for label, op in (("read-only", read_mix), ("10% writes", write_mix)):
        results["mix"][label] = []
        for n in args.levels:
            r = measure(navs[:n], op, args.seconds)
            results["mix"][label].append(r)
            print(f"[concurrency] mix {label:<10} {n} clients: {r['rps']:7.1f} req/s", flush=True)
    for c in navs + partners:
        c.close()
    return results


def table(results: dict, levels) -> str:
    floor = {r["clients"]: r["rps"] for r in results["pages"]["/bench/floor"]}
    lines = [
        "| measured | " + " | ".join(f"{n} clients: req/s (x floor), p95" for n in levels) + " |",
        "|---|" + "---:|" * len(levels),
    ]
    for label, rows in results["pages"].items():
        cells = [
            f"{r['rps']} ({r['rps'] / floor[r['clients']]:.2f}), {r['p95_ms']} ms" for r in rows
        ]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    for label, rows in results["mix"].items():
        cells = [f"{r['rps']}, {r['p95_ms']} ms" for r in rows]
        lines.append(f"| mix, {label} | " + " | ".join(cells) + " |")
    ro = {r["clients"]: r["rps"] for r in results["mix"]["read-only"]}
    wr = {r["clients"]: r["rps"] for r in results["mix"]["10% writes"]}
    lines.append(
        "| write mix ÷ read-only | "
        + " | ".join(f"{wr[n] / ro[n]:.2f}" if ro[n] else "-" for n in levels)
        + " |"
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.concurrency")
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument(
        "--agencies",
        type=int,
        default=1,
        help="spread --persons over this many agencies (bench/prepare.py seed_network)",
    )
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--levels", type=int, nargs="+", default=list(LEVELS))
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    load_before = os.getloadavg()
    started = time.perf_counter()
    results = run(args)
    report = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "settings": {
            "persons": args.persons,
            "agencies": args.agencies,
            "seconds_per_level": args.seconds,
            "server": f"gunicorn, {WORKERS} gthread workers of 1 thread, PostgreSQL, DEBUG off",
            # the settings' default is 5 (config/settings.py); "off" binds on the client
            "prepare_threshold": os.environ.get("DB_PREPARE_THRESHOLD") or "5",
        },
        "results": results,
        "seconds": round(time.perf_counter() - started, 1),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print()
    print(table(results, args.levels))
    print(
        f"\nload average {report['load_average_before'][0]} before, "
        f"{report['load_average_after'][0]} after; wrote {RESULTS.relative_to(ROOT)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
