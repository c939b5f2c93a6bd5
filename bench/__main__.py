"""``make bench``: time the person list against a bare view, on SQLite and on PostgreSQL.

Then runs the matching benchmark (``bench/matching.py``) unless ``--skip-matching``.

For each database: a fresh database in a temporary directory (PostgreSQL: a fresh
``wayfinder_bench`` database), migrated and seeded with one agency of 10,000 persons
(``bench/prepare.py``); a real gunicorn process (1 worker) on 127.0.0.1; a real sign-in through
the login form (two-step sign-in off); then sequential keep-alive requests after a warm-up.

Measured: ``/people/`` (first page, as the agency's navigator), ``/bench/floor`` (a bare view
behind the same middleware, with the same session) and ``/api/v1/persons/`` (first page, with a
token). Prints a table and writes ``bench/results/latest.json``. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import math
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "latest.json"
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = os.environ.get(
    "WAYFINDER_BENCH_DB", "wayfinder_bench"
)  # another name: runs side by side
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


# --- statistics --------------------------------------------------------------------------------


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(samples: list[float]) -> dict:
    return {
        "n": len(samples),
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(percentile(samples, 95), 2),
        "min_ms": round(min(samples), 2),
        "max_ms": round(max(samples), 2),
    }


# --- HTTP client (stdlib, one keep-alive connection) ---------------------------------------------


class Http:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        headers = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed the kept-alive connection: reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, data

    def get(self, path: str, headers=None):
        return self.request("GET", path, headers=headers)

    def timed(self, path: str, n: int, warmup: int, headers=None, cpu_of=None) -> dict:
        """Wall time of each of ``n`` requests after ``warmup``; and the server's CPU per request."""
        for _ in range(warmup):
            status, _h, _b = self.get(path, headers)
            if status != 200:
                raise RuntimeError(f"GET {path} answered {status} during warm-up")
        samples = []
        cpu_before = cpu_seconds(cpu_of)
        for _ in range(n):
            start = time.perf_counter()
            status, _h, _b = self.get(path, headers)
            samples.append((time.perf_counter() - start) * 1000)
            if status != 200:
                raise RuntimeError(f"GET {path} answered {status}")
        cpu_after = cpu_seconds(cpu_of)
        result = summary(samples)
        if cpu_before is not None and cpu_after is not None:
            result["server_cpu_ms"] = round((cpu_after - cpu_before) * 1000 / n, 2)
        return result

    def close(self):
        self.conn.close()


def sign_in(http_: Http, email: str, password: str) -> None:
    """Sign in through the real login form, as a browser would (CSRF cookie and token)."""
    status, _h, body = http_.get("/accounts/login/")
    if status != 200:
        raise RuntimeError(f"login page answered {status}")
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if not match:
        raise RuntimeError("no CSRF token on the login page")
    form = urlencode(
        {"csrfmiddlewaretoken": match.group(1).decode(), "login": email, "password": password}
    ).encode()
    status, headers, _b = http_.request(
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{http_.port}/accounts/login/",
        },
    )
    if status != 302 or "sessionid" not in http_.cookies:
        raise RuntimeError(f"sign-in failed (status {status}, location {headers.get('Location')})")


# --- one database ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_env(var_dir: Path, database_url: str) -> dict:
    kek = base64.b64encode(secrets.token_bytes(32)).decode()
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + secrets.token_hex(32),
        "WAYFINDER_KEK": f"bench:{kek}",
        "WAYFINDER_BLIND_INDEX_KEY": "bench-" + secrets.token_hex(16),
        "WAYFINDER_SECURE": "0",
        "WAYFINDER_MANIFEST_STATIC": "0",
        "WAYFINDER_REQUIRE_MFA": "0",
        "WAYFINDER_BENCH": "1",
        "WAYFINDER_VAR_DIR": str(var_dir),
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def worker_pid(master: int) -> int | None:
    """The gunicorn worker (the master's only child), whose CPU time we read."""
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return None
    return int(children[0]) if children else None


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU time of a process so far (Linux /proc), or None elsewhere."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def wait_until_up(port: int, proc: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not come up")


def run_one(name: str, database_url: str, var_dir: Path, args) -> dict:
    env = bench_env(var_dir, database_url)
    t0 = time.perf_counter()
    print(f"[{name}] migrating and seeding {args.persons:,} persons …", flush=True)
    prepared = subprocess.run(
        [
            PYTHON,
            "-m",
            "bench.prepare",
            str(args.persons),
            *(["--conferences"] if args.conferences else []),
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
    print(f"[{name}] migrated in {info['migrate_s']} s, seeded in {info['seed_s']} s", flush=True)

    port = free_port()
    server = subprocess.Popen(
        [
            GUNICORN,
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--worker-class",
            "gthread",  # the sync worker closes every connection; gthread keeps them alive
            "--threads",
            "1",
            "--keep-alive",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_up(port, server)
        web = Http(port)
        sign_in(web, info["email"], info["password"])
        status, _h, body = web.get("/people/")
        page_is_real = status == 200 and info["newest_pseudonym"].encode() in body
        if not page_is_real:
            print(
                f"[{name}] warning: /people/ does not show the newest record "
                f"(status {status}, {len(body)} bytes): is the list page still a placeholder?",
                flush=True,
            )
        print(f"[{name}] timing {args.requests} requests each …", flush=True)
        worker = worker_pid(server.pid)
        page_s = web.timed("/people/", args.requests, args.warmup, cpu_of=worker)
        floor_s = web.timed("/bench/floor", args.requests, args.warmup, cpu_of=worker)
        conf = info.get("conferences")
        if conf:  # --conferences: the agenda built from open work, then the chair's page
            mid = conf["meeting_id"]
            conf["agenda"] = web.timed(
                f"/bench/agenda/{mid}", args.requests, args.warmup, cpu_of=worker
            )
            conf["meeting_page"] = web.timed(
                f"/conferences/m/{mid}/", args.requests, args.warmup, cpu_of=worker
            )
            for key in ("agenda", "meeting_page"):
                conf[f"{key}_ratio_median"] = round(
                    conf[key]["median_ms"] / floor_s["median_ms"], 1
                )
                conf[f"{key}_ratio_p95"] = round(conf[key]["p95_ms"] / floor_s["p95_ms"], 1)
        web.close()

        api = Http(port)
        bearer = {"Authorization": f"Bearer {info['api_token']}"}
        api_s = api.timed(
            "/api/v1/persons/", args.requests, args.warmup, headers=bearer, cpu_of=worker
        )
        api.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        errors = server.stderr.read() if server.stderr else ""
        if errors.strip():
            print(f"[{name}] server said:\n{errors[-2000:]}", flush=True)

    return {
        "database": name,
        "persons": info["persons"],
        "page_is_real": page_is_real,
        "person_list": page_s,
        "floor": floor_s,
        "api_person_list": api_s,
        "ratio_median": round(page_s["median_ms"] / floor_s["median_ms"], 1),
        "ratio_p95": round(page_s["p95_ms"] / floor_s["p95_ms"], 1),
        "api_ratio_median": round(api_s["median_ms"] / floor_s["median_ms"], 1),
        "queries": info["probe"],
        "conferences": info.get("conferences"),
        "migrate_s": info["migrate_s"],
        "seed_s": info["seed_s"],
        "seconds": round(time.perf_counter() - t0, 1),
    }


# --- PostgreSQL ----------------------------------------------------------------------------------


def fresh_postgres() -> str | None:
    """Drop and create the bench databases; None (with the reason printed) if unreachable."""
    try:
        import psycopg
    except ImportError:
        print("[postgresql] skipped: psycopg is not installed", flush=True)
        return None
    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            for db in (PG_BENCH_DB, f"{PG_BENCH_DB}_keystore"):
                conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{db}"')
    except psycopg.Error as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(
            f"[postgresql] skipped: cannot reach {PG_ADMIN_URL} ({first_line})",
            flush=True,
        )
        return None
    return f"postgres://postgres@127.0.0.1:5432/{PG_BENCH_DB}"


def drop_postgres() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
        for db in (PG_BENCH_DB, f"{PG_BENCH_DB}_keystore"):
            conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


# --- report --------------------------------------------------------------------------------------


def table(results: list[dict]) -> str:
    head = (
        f"{'database':<11} {'measured':<26} {'median ms':>10} {'p95 ms':>9} "
        f"{'x floor (median)':>17} {'server CPU ms':>14}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        rows = [
            ("/people/ (first page)", r["person_list"], r["ratio_median"]),
            ("/bench/floor (bare view)", r["floor"], 1.0),
            ("/api/v1/persons/ (page 1)", r["api_person_list"], r["api_ratio_median"]),
        ]
        for label, s, ratio in rows:
            cpu = s.get("server_cpu_ms")
            lines.append(
                f"{r['database']:<11} {label:<26} {s['median_ms']:>10.2f} {s['p95_ms']:>9.2f} "
                f"{ratio:>16.1f}x {cpu if cpu is not None else '-':>14}"
            )
        q = r["queries"]
        small, full = sorted(q, key=lambda k: int(k.split("_")[1]))
        lines.append(
            f"{'':<11} queries per /people/ request: {q[full]['queries_main']} main + "
            f"{q[full]['queries_keystore']} keystore at {r['persons']:,} persons "
            f"({q[small]['queries_main']} + {q[small]['queries_keystore']} at "
            f"{small.split('_')[1]}); rows decrypted: {q[full]['decrypted']}"
        )
        conf = r.get("conferences")
        if conf:
            for label, key in (
                ("/bench/agenda (propose)", "agenda"),
                ("/conferences/m/ (chair)", "meeting_page"),
            ):
                s = conf[key]
                lines.append(
                    f"{r['database']:<11} {label:<26} {s['median_ms']:>10.2f} "
                    f"{s['p95_ms']:>9.2f} {conf[key + '_ratio_median']:>16.1f}x "
                    f"{s.get('server_cpu_ms', '-'):>14}"
                )
            lines.append(
                f"{'':<11} agenda: {conf['proposed']:,} proposed of {r['persons']:,} persons in "
                f"{conf['queries']} queries; propose() in process {conf['propose_in_process']}"
            )
        lines.append(
            f"{'':<11} its reads of people_person take {q[full]['person_reads_ms']} ms in the "
            f"database at {r['persons']:,} persons ({q[small]['person_reads_ms']} ms at "
            f"{small.split('_')[1]})"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=150, help="timed requests per URL")
    parser.add_argument("--warmup", type=int, default=15)
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="run on one database only")
    parser.add_argument(
        "--skip-matching", action="store_true", help="leave out bench/matching.py (long)"
    )
    parser.add_argument(
        "--skip-concurrency",
        action="store_true",
        help="leave out bench/concurrency.py (PostgreSQL, 1-8 clients; about four minutes)",
    )
    parser.add_argument(
        "--conferences",
        action="store_true",
        help="also time the case-conference agenda built from open work (bench/conferences.py)",
    )
    args = parser.parse_args()
    started = time.perf_counter()

    results, skipped = [], []
    if args.only in (None, "sqlite"):
        var_dir = Path(tempfile.mkdtemp(prefix="wayfinder-bench-"))
        try:
            url = f"sqlite:///{var_dir / 'wayfinder.sqlite3'}"
            results.append(run_one("sqlite", url, var_dir, args))
        finally:
            shutil.rmtree(var_dir, ignore_errors=True)
    if args.only in (None, "postgresql"):
        url = fresh_postgres()
        if url is None:
            skipped.append({"database": "postgresql", "reason": "unreachable"})
        else:
            var_dir = Path(tempfile.mkdtemp(prefix="wayfinder-bench-"))
            try:
                results.append(run_one("postgresql", url, var_dir, args))
            finally:
                shutil.rmtree(var_dir, ignore_errors=True)
                drop_postgres()

    # Matching: the top 10 of 100,000 services, on both databases (bench/matching.py).
    from bench import matching, targets

    matching_report = None if args.skip_matching else matching.run()

    # Many clients at once on PostgreSQL (bench/concurrency.py; its own results file).
    concurrency = None
    if not args.skip_concurrency and args.only in (None, "postgresql") and not skipped:
        from bench.concurrency import RESULTS as CONCURRENCY

        before = CONCURRENCY.stat().st_mtime if CONCURRENCY.exists() else 0.0
        subprocess.run([PYTHON, "-m", "bench.concurrency"], cwd=ROOT, check=False)
        if CONCURRENCY.exists() and CONCURRENCY.stat().st_mtime > before:  # written by this run
            concurrency = json.loads(CONCURRENCY.read_text())["results"]

    report = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        },
        "settings": {
            "persons": args.persons,
            "conferences": args.conferences,
            "requests": args.requests,
            "warmup": args.warmup,
            "server": "gunicorn, 1 worker, gthread with 1 thread, DEBUG off",
            "client": "http.client, one keep-alive connection, sequential requests",
        },
        "results": results,
        "skipped": skipped,
        "matching": matching_report,
        "seconds": round(time.perf_counter() - started, 1),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print()
    print(table(results))
    if matching_report is not None:
        print()
        print(matching.table(matching_report["results"]))
    for s in skipped:
        print(f"{s['database']}: skipped ({s['reason']})")
    print()
    print(targets.table(targets.checks(matching_report, concurrency)))
    print(f"\nWrote {RESULTS.relative_to(ROOT)} in {report['seconds']} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
