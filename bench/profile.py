"""Where a page's time goes: queries, decryption, templates, audit, session — in one process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wf_scale \\
        .venv/bin/python -m bench.profile --fresh --persons 10000

``--fresh`` drops and recreates the database (PostgreSQL) or file (SQLite), migrates, loads the
demo network (``manage.py demo``: agencies, staff, survivors with referrals, plans, consents) and
adds ``--persons`` bulk persons at the lead agency (``bench/prepare.py``'s seeding) — or, with
``--agencies N``, spread over N agencies with referrals and assessments in proportion
(``prepare.seed_network``; ``--seconds`` caps the seeding). Without it the database is used as
it is.

    .venv/bin/python -m bench.profile --fresh --persons 1000000 --agencies 20   # 10^6 persons

For each page — the person page, the list, a name search on it (POSTed), the dashboard, a
partner's inbox, an audited API read, the chair's case-conference page and the floor — a signed-in Django test client makes
``--repeat`` requests after a warm-up, under cProfile and with every query captured. Printed per
request: wall time; queries and their time per database (``--explain``: each read's plan); and
the time spent (cumulative, so nested parts overlap) in template rendering, data-key unwraps,
field decryption, the audit append, session load/save and the middleware.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("WAYFINDER_BENCH", "1")
os.environ.setdefault("WAYFINDER_REQUIRE_MFA", "0")
os.environ.setdefault("WAYFINDER_SECURE", "0")
os.environ.setdefault("WAYFINDER_MANIFEST_STATIC", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("LOG_LEVEL", "WARNING")

PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"

# (label, module substring, function name): cumulative time of these functions per request.
PARTS = [
    ("templates", "django/template/base.py", "render"),
    ("key unwraps", "wayfinder/core/crypto.py", "_unwrap"),
    ("keystore reads", "wayfinder/core/crypto.py", "data_keys"),
    ("field decryption", "wayfinder/core/crypto.py", "decrypt"),
    ("audit append", "wayfinder/audit/events.py", "record"),
    ("session load", "django/contrib/sessions/backends/db.py", "load"),
    ("session save", "django/contrib/sessions/backends/db.py", "save"),
    ("actor (memberships)", "wayfinder/accounts/middleware.py", "_actor"),
    ("user load", "django/contrib/auth/__init__.py", "get_user"),
    ("gate", "wayfinder/access/gate.py", "get_access"),
]


def fresh(url: str) -> None:
    if url.startswith("postgres"):
        import psycopg

        name = url.rsplit("/", 1)[1].split("?")[0]
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            for db in (name, f"{name}_keystore"):
                conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{db}"')
    else:
        path = Path(url.split("sqlite:///", 1)[1])
        for p in path.parent.glob("*.sqlite3*"):
            p.unlink()


def setup_data(persons: int, agencies: int = 1, workers: int = 2, seconds=None) -> None:
    from django.core.management import call_command
    from django.db import connections

    from bench import prepare
    from wayfinder.accounts.models import Agency, User

    prepare.migrate()
    call_command("demo", verbosity=0)
    agency = Agency.objects.get(name="Harbor Light Alliance")
    user = User.objects.get(email="navigator@demo.wayfinder.test")
    if persons and agencies > 1:
        made = prepare.seed_network(
            agency, user, persons, agencies, workers=workers, seconds=seconds
        )
        print(f"network: {made}", flush=True)
    elif persons:
        prepare.seed(agency, user, persons, random.Random(16), set())
    for alias in ("default", "keystore"):
        if connections[alias].vendor == "postgresql":
            with connections[alias].cursor() as cur:
                cur.execute("VACUUM ANALYZE")


# A name search on the list (POSTed, as the page's form sends it). The bulk persons' names come
# from 14 first and 12 last names (a chosen name, and a legal name of a first and two last), so
# this one matches about 1 in 45 of them ("Rosa" alone 1 in 7, "Quispe" 1 in 6), far more than a
# real full name would: ``--search`` times another, e.g. "Mateo Huamán" (one demo survivor).
# Past 45,000 persons at the agency it matches more than a search lists (people.queries
# SEARCH_CAP), and the page asks for more of the name instead.
SEARCH = "Rosa Quispe"


def targets(search: str = SEARCH) -> list[tuple[str, str, str, dict]]:
    """(label, email, path, headers) for each profiled page; a ``"POST"`` entry in the headers
    is the form data of a POST (the name search)."""
    from wayfinder.accounts.actions import create_api_token
    from wayfinder.accounts.actor import actor_for
    from wayfinder.accounts.models import Agency, ApiToken, User
    from wayfinder.conferences.models import Meeting, MeetingStatus
    from wayfinder.people.models import Person
    from wayfinder.referrals.models import Referral

    nav = "navigator@demo.wayfinder.test"
    lawyer = "lawyer@demo.wayfinder.test"
    lead = Agency.objects.get(name="Harbor Light Alliance")
    # The demo survivor with the most referrals: a full person page.
    busiest = (
        Referral.objects.filter(person__owner_agency=lead)
        .values_list("person_id", flat=True)
        .order_by("person_id")
    )
    counts: dict = {}
    for pid in busiest:
        counts[pid] = counts.get(pid, 0) + 1
    person = (
        Person.objects.get(pk=max(counts, key=counts.get))
        if counts
        else Person.objects.filter(owner_agency=lead).first()
    )
    user = User.objects.get(email=nav)
    # A run's token replaces the last run's: a user may hold only so many (20) at once.
    ApiToken.objects.filter(user=user, name="profile").delete()
    _token, raw = create_api_token(
        actor=actor_for(user, lead, via="command"), agency=lead, name="profile"
    )
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    # The demo's weekly case review, chaired by the lead agency: its next meeting proposes every
    # person of the agency with open work (the chair's page shows 40 of them).
    meeting = (
        Meeting.objects.filter(series__chair_agency=lead, status=MeetingStatus.OPEN)
        .order_by("-starts_at")
        .first()
    )
    chair = [("case conference", nav, f"/conferences/m/{meeting.pk}/", {})] if meeting else []
    return [
        ("floor", nav, "/bench/floor", {}),
        ("person page", nav, f"/people/{person.pk}/", {}),
        ("person list", nav, "/people/", {}),
        ("name search", nav, "/people/", {"POST": {"q": search}}),
        ("dashboard", nav, "/", {}),
        # The bench makes ``nav`` the lead of every bulk person (a caseload of the whole agency,
        # the worst case); the second navigator has the demo's caseload of a few persons.
        ("dashboard, small caseload", "navigator2@demo.wayfinder.test", "/", {}),
        ("partner inbox", lawyer, "/referrals/", {}),
        # The person's access history (an agency admin's page): their events and every list
        # page that showed them, out of the whole audit trail.
        ("access history", "agency.admin@demo.wayfinder.test", f"/people/{person.pk}/history/", {}),
        ("API person read", nav, f"/api/v1/persons/{person.pk}", bearer),
        *chair,
    ]


def _request(client, path, headers):
    if "POST" in headers:
        rest = {k: v for k, v in headers.items() if k != "POST"}
        return client.post(path, headers["POST"], **rest)
    return client.get(path, **headers)


def profile_one(label, email, path, headers, repeat: int, warmup: int) -> dict:
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from wayfinder.accounts.models import User

    client = Client()
    if "HTTP_AUTHORIZATION" not in headers:
        client.force_login(User.objects.get(email=email))
    for _ in range(warmup):
        response = _request(client, path, headers)
        assert response.status_code == 200, (label, response.status_code)
    prof = cProfile.Profile()
    with (
        CaptureQueriesContext(connections["default"]) as main,
        CaptureQueriesContext(connections["keystore"]) as keys,
    ):
        start = time.perf_counter()
        prof.enable()
        for _ in range(repeat):
            _request(client, path, headers)
        prof.disable()
        wall = (time.perf_counter() - start) * 1000 / repeat
    stats = pstats.Stats(prof)
    parts = {}
    for name, module, func in PARTS:
        total = 0.0
        for (file, _line, fn), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
            if fn == func and file.endswith(module):
                total += ct
        parts[name] = round(total * 1000 / repeat, 2)
    # Template rendering: the outermost Template.render only (nested ones are inside it).
    main_ms = sum(float(q["time"]) for q in main.captured_queries) * 1000 / repeat
    keys_ms = sum(float(q["time"]) for q in keys.captured_queries) * 1000 / repeat
    top = sorted(
        (
            (tt * 1000 / repeat, f"{Path(file).name}:{fn}")
            for (file, _line, fn), (_cc, _nc, tt, _ct, _c) in stats.stats.items()  # type: ignore[attr-defined]
        ),
        reverse=True,
    )[:8]
    mine = sorted(
        (
            (ct * 1000 / repeat, f"{file.split('wayfinder/', 1)[-1]}:{fn}")
            for (file, _line, fn), (_cc, _nc, _tt, ct, _c) in stats.stats.items()  # type: ignore[attr-defined]
            if "/wayfinder/" in file and "/site-packages/" not in file
        ),
        reverse=True,
    )[:25]
    return {
        "page": label,
        "wayfinder_cum_ms": [(round(ms, 2), where) for ms, where in mine],
        "path_kind": path.split("/")[1] or "/",
        "wall_ms_profiled": round(wall, 2),
        "queries_main": len(main) // repeat,
        "queries_keystore": len(keys) // repeat,
        "db_main_ms": round(main_ms, 2),
        "db_keystore_ms": round(keys_ms, 2),
        "parts_ms": parts,
        "top_self_ms": [(round(ms, 2), where) for ms, where in top],
        "sql": [
            f"{float(q['time']) * 1000:6.2f} ms  {q['sql'][:200]}"
            for q in main.captured_queries[-(len(main) // repeat) :]
        ],
    }


# Reads of tables that do not grow with the persons: left out of --explain.
SMALL_TABLES = ("django_session", "accounts_user", "accounts_membership", "accounts_agency")


def explain(email, path, headers) -> list[tuple[str, list[str]]]:
    """(query, plan) for each read of one request, EXPLAIN ANALYZE'd again (PostgreSQL): the
    plan's nodes with their rows and times, to see whether a read walks an index to its LIMIT
    or reads what grows with the agency."""
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from wayfinder.accounts.models import User

    client = Client()
    if "HTTP_AUTHORIZATION" not in headers:
        client.force_login(User.objects.get(email=email))
    _request(client, path, headers)
    found = []
    for alias in ("default", "keystore"):
        conn = connections[alias]
        if conn.vendor != "postgresql":
            continue
        with CaptureQueriesContext(conn) as captured:
            _request(client, path, headers)
        for q in captured.captured_queries:
            sql = q["sql"]
            if not sql.lstrip("(").startswith("SELECT") or "FOR UPDATE" in sql:
                continue
            if any(f'FROM "{t}"' in sql for t in SMALL_TABLES):
                continue
            with conn.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql)
                plan = [row[0][:200] for row in cur.fetchall()]
            found.append((f"[{alias}] {sql}", plan))
    return found


def unprofiled_ms(email, path, headers, n: int = 30) -> float:
    """Median wall time without the profiler (it inflates Python-heavy work)."""
    import statistics

    from django.test import Client

    from wayfinder.accounts.models import User

    client = Client()
    if "HTTP_AUTHORIZATION" not in headers:
        client.force_login(User.objects.get(email=email))
    _request(client, path, headers)
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        _request(client, path, headers)
        samples.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(samples), 2)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument(
        "--agencies",
        type=int,
        default=1,
        help="spread --persons over this many agencies (the lead largest), with referrals and "
        "assessments in proportion, by --workers processes",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--seconds", type=float, help="stop seeding after this long (fewer persons)"
    )
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--sql", action="store_true", help="print each page's queries")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print the plan (EXPLAIN ANALYZE) of each page's reads, PostgreSQL only",
    )
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--only", help="profile only pages whose label contains this")
    parser.add_argument("--search", default=SEARCH, help="the name search's words")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if args.fresh:
        if not url:
            print("--fresh needs DATABASE_URL", file=sys.stderr)
            return 2
        fresh(url)
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    if args.fresh:
        t = time.perf_counter()
        setup_data(args.persons, args.agencies, args.workers, args.seconds)
        print(f"seeded in {time.perf_counter() - t:.1f} s", flush=True)
    results = []
    for label, email, path, headers in targets(args.search):
        if args.only and args.only not in label and label != "floor":
            continue
        r = profile_one(label, email, path, headers, args.repeat, args.warmup)
        r["wall_ms"] = unprofiled_ms(email, path, headers)
        if args.explain:
            r["plans"] = explain(email, path, headers)
        results.append(r)
    floor = results[0]["wall_ms"]
    print(f"load average {os.getloadavg()[0]:.2f}; floor {floor} ms (test client, no server)")
    for r in results:
        print(
            f"\n{r['page']}: {r['wall_ms']} ms ({r['wall_ms'] / floor:.1f}x floor), "
            f"{r['queries_main']} + {r['queries_keystore']} queries, "
            f"DB {r['db_main_ms']} + {r['db_keystore_ms']} ms (profiled {r['wall_ms_profiled']} ms)"
        )
        print("   " + ", ".join(f"{k} {v}" for k, v in r["parts_ms"].items() if v))
        print("   self: " + ", ".join(f"{w} {ms}" for ms, w in r["top_self_ms"]))
        if args.sql:
            for ms, where in r["wayfinder_cum_ms"]:
                print(f"   {ms:8.2f} ms cum  {where}")
            for s in r["sql"]:
                print("     ", s)
        for sql, plan in r.get("plans", []):
            print(f"   EXPLAIN {sql[:160]}")
            for line in plan:
                print(f"      {line}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
