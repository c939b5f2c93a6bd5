"""Matching benchmark: the top 10 of 100,000 synthetic services, on SQLite and PostgreSQL.

``run()`` (called by ``python -m bench``; also ``python -m bench.matching``) builds, for each
database, a fresh database (SQLite in a temporary directory; PostgreSQL
``wayfinder_bench_match``), migrates it and seeds 100,000 services in bulk: a statewide network
the size of Illinois, two in five services in the Chicago area, each with one to three of the 23
categories, Wayfinder features, staff languages, a site (one in twenty has none) and, for four
in five, capacity. The match index is then built by the real ``index.reindex_all()``.

Timed per query (after a warm-up), for random searches from the sites' own distribution:
- ``query``: ``matching.queries.candidate_rows`` (the one indexed query, rows as dicts);
- ``rank``: ``matching.ranking.rank`` over those rows (hard filters, scores, top 10, reasons);
- ``total``: ``matching.queries.top_matches``, what a search runs (``find_services``): the
  same results as ``rank`` over every row (checked on every search), but a statewide search
  reads the rows near its place first and then only the far rows that can still reach the top
  10 (with a radius it is exactly the query and the ranking above);
- ``floor``: a plain Python pass over the same rows (distance of each, best 10 by distance):
  what any ranking in Python costs at least once the rows are in memory. The table also gives
  the total's median as a multiple of the floor's, measured in the same run, so that figures
  taken on a busy machine can still be compared.
Two scenarios: a 25-mile radius (the default) and a statewide search with no radius (every
candidate of one category, the worst case).
"""

from __future__ import annotations

import base64
import heapq
import json
import math
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_DB = "wayfinder_bench_match"
SERVICES = 100_000
SEARCHES = 200
WARMUP = 20
SEED = 20260601


def _summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    return {"median_ms": round(statistics.median(samples), 2), "p95_ms": round(p95, 2)}


def _env(var_dir: Path, database_url: str) -> dict:
    kek = base64.b64encode(secrets.token_bytes(32)).decode()
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + secrets.token_hex(32),
        "WAYFINDER_KEK": f"bench:{kek}",
        "WAYFINDER_BLIND_INDEX_KEY": "bench-" + secrets.token_hex(16),
        "WAYFINDER_SECURE": "0",
        "WAYFINDER_VAR_DIR": str(var_dir),
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


# --- in the worker process (a fresh database named by DATABASE_URL) ----------------------------


def _seed(n: int, rng: random.Random) -> dict:
    import uuid
    from datetime import timedelta

    from django.db import connection, transaction
    from django.utils import timezone

    from wayfinder.core.service_categories import ServiceCategory
    from wayfinder.directory import taxonomy
    from wayfinder.directory.index import reindex_all
    from wayfinder.directory.models import (
        Attribute,
        Language,
        Location,
        Organization,
        Service,
        ServiceAtLocation,
        ServiceCapacity,
    )
    from wayfinder.directory.taxonomy import Feature, category_term_id, feature_term_id

    categories = ServiceCategory.values
    booleans = [f.value for f in Feature if f != Feature.STAFF_GENDER]
    languages = ["eng", "spa", "vie", "cmn", "ara", "pol", "ukr", "som", "quc", "por", "fra"]
    now = timezone.now()
    t0 = time.perf_counter()
    org = Organization.objects.create(id="bench-org", name="Bench", description="Bench")
    batch = 5000
    for start in range(0, n, batch):
        services, locations, sites, attributes, langs, capacities = [], [], [], [], [], []
        for i in range(start, min(n, start + batch)):
            sid = f"s{i:06d}"
            services.append(
                Service(
                    id=sid,
                    name=f"Service {i}",
                    organization=org,
                    status="active" if rng.random() > 0.03 else "inactive",
                    minimum_age=rng.choice([None, None, None, 18, 16]),
                    maximum_age=rng.choice([None, None, None, None, 24, 17]),
                )
            )
            if rng.random() < 0.95:
                if rng.random() < 0.4:  # the Chicago area
                    lat, lng = rng.gauss(41.88, 0.15), rng.gauss(-87.70, 0.15)
                else:  # the rest of the state
                    lat, lng = rng.uniform(37.0, 42.5), rng.uniform(-91.5, -87.5)
                lid = f"l{i:06d}"
                locations.append(Location(id=lid, latitude=lat, longitude=lng))
                sites.append(ServiceAtLocation(id=f"a{i:06d}", service_id=sid, location_id=lid))
            for c in rng.sample(categories, rng.choice([1, 1, 2, 2, 3])):
                attributes.append((sid, category_term_id(c), ""))
            for f in rng.sample(booleans, rng.randint(0, 4)):
                attributes.append((sid, feature_term_id(f), "true"))
            if rng.random() < 0.5:
                staff = rng.choice(["women", "men", "mixed"])
                attributes.append((sid, feature_term_id(Feature.STAFF_GENDER), staff))
            if rng.random() < 0.08:
                for g in rng.sample(list(taxonomy.GENDERS), rng.randint(1, 2)):
                    attributes.append((sid, taxonomy.gender_term_id(g), ""))
            if rng.random() < 0.05:
                attributes.append((sid, taxonomy.FAITH_BASED_TERM_ID, "true"))
            spoken = ["eng", *rng.sample(languages[1:], rng.randint(0, 3))]
            langs += [Language(id=f"{sid}-{c}", service_id=sid, code=c) for c in spoken]
            if rng.random() < 0.8:
                capacities.append(
                    ServiceCapacity(
                        id=f"c{i:06d}",
                        service_id=sid,
                        available=rng.choice([None, 0, 1, 3, 10]),
                        waitlist_days=rng.choice([None, 0, 7, 30, 90]),
                        accepting_referrals=rng.random() > 0.15,
                        updated=now - timedelta(days=rng.randint(0, 40)),
                    )
                )
        with transaction.atomic():
            Service.objects.bulk_create(services)
            Location.objects.bulk_create(locations)
            ServiceAtLocation.objects.bulk_create(sites)
            Attribute.objects.bulk_create(
                Attribute(
                    id=str(uuid.uuid4()),
                    link_id=sid,
                    link_entity="service",
                    taxonomy_term_id=term,
                    value=value,
                )
                for sid, term, value in attributes
            )
            Language.objects.bulk_create(langs)
            ServiceCapacity.objects.bulk_create(capacities)
    seeded = time.perf_counter() - t0
    t0 = time.perf_counter()
    with transaction.atomic():
        rows = reindex_all()
    # Fresh statistics, as a live database has them (autovacuum) after a bulk load.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "services": n,
        "index_rows": rows,
        "attributes": Attribute.objects.count(),
        "languages": Language.objects.count(),
        "seed_seconds": round(seeded, 1),
        "index_seconds": round(time.perf_counter() - t0, 1),
    }


def _floor(profile, rows: list[dict]) -> list:
    """The least a ranking in Python does with the rows: each one's distance, best 10."""
    from wayfinder.directory.geo import miles

    lat0, lng0 = profile.origin
    scored = []
    for r in rows:
        lat, lng = r["latitude"], r["longitude"]
        d = miles(lat0, lng0, lat, lng) if lat is not None and lng is not None else 1e9
        scored.append((d, r["service_id"]))
    return heapq.nsmallest(10, scored)


def _searches(scenario: str, n: int, rng: random.Random) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from wayfinder.core.service_categories import ServiceCategory
    from wayfinder.directory.models import Location
    from wayfinder.matching import queries, ranking

    # The same 500 sites in every run and on both databases (ORDER BY RANDOM() differed each
    # time, so candidate counts and timings did too).
    sites = list(Location.objects.order_by("id").values_list("latitude", "longitude"))
    origins = rng.sample(sites, min(500, len(sites)))
    weights = settings.WAYFINDER_MATCH_WEIGHTS
    timings = {"query": [], "rank": [], "total": [], "floor": []}
    sizes, found = [], []
    for i in range(WARMUP + n):
        profile = ranking.NeedProfile(
            categories=frozenset([rng.choice(ServiceCategory.values)]),
            as_of=timezone.now(),
            age_range=rng.choice([None, (25, 26), (17, 18)]),
            gender=rng.choice(["", "woman", "man", "non_binary"]),
            languages=tuple(rng.sample(["spa", "eng", "vie", "ara", "quc"], rng.randint(1, 2))),
            staff_gender_preference=rng.choice(["", "women", "men"]),
            faith_preference=rng.choice(["", "secular", "faith_based"]),
            origin=rng.choice(origins),
            radius_miles=25.0 if scenario == "radius_25mi" else None,
        )
        t0 = time.perf_counter()
        rows = queries.candidate_rows(profile)
        t1 = time.perf_counter()
        result = ranking.rank(profile, rows, weights, 10)
        t2 = time.perf_counter()
        _floor(profile, rows)
        t3 = time.perf_counter()
        top = queries.top_matches(profile, weights, 10)
        t4 = time.perf_counter()
        if top != result:
            raise AssertionError(f"top_matches differs from rank over every row: {profile}")
        if i < WARMUP:
            continue
        timings["query"].append((t1 - t0) * 1000)
        timings["rank"].append((t2 - t1) * 1000)
        timings["total"].append((t4 - t3) * 1000)
        timings["floor"].append((t3 - t2) * 1000)
        sizes.append(len(rows))
        found.append(len(result))
    return {
        "scenario": scenario,
        "searches": n,
        "candidate_rows_median": int(statistics.median(sizes)),
        "candidate_rows_max": max(sizes),
        "results_median": int(statistics.median(found)),
        **{k: _summary(v) for k, v in timings.items()},
        "vendor": connection.vendor,
    }


def worker() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(SEED)
    data = _seed(int(os.environ.get("BENCH_MATCH_SERVICES", SERVICES)), rng)
    searches = int(os.environ.get("BENCH_MATCH_SEARCHES", SEARCHES))
    data["scenarios"] = [
        _searches("radius_25mi", searches, random.Random(SEED + 1)),
        _searches("statewide_no_radius", searches, random.Random(SEED + 2)),
    ]
    data["directory"] = _directory_pages(max(10, searches // 10))
    print(json.dumps(data))


# The directory's own page (/directory/) over the same services: one page of each search as
# ``browse`` reads it (``search_page``; the cards and the template do not grow with the
# directory). Places: the Loop (dense) and Carbondale (sparse).
DIRECTORY_SEARCHES = {
    "by name, page 1": {},
    "by name, page 40": {"page": 40},
    "text search": {"q": "service 12"},
    "one category": {"category": "housing"},
    "Loop, 25 miles": {"near": (41.8858, -87.6181), "radius": "25"},
    "Loop, statewide, page 3": {"near": (41.8858, -87.6181), "page": 3},
    "Carbondale, statewide": {"near": (37.7273, -89.2168)},
}


def _directory_pages(repeat: int) -> list[dict]:
    from django.utils import timezone

    from wayfinder.directory.browse.queries import search_page

    out = []
    for label, search in DIRECTORY_SEARCHES.items():
        data = {k: v for k, v in search.items() if k != "page"}
        samples = []
        for _ in range(repeat + 2):
            t0 = time.perf_counter()
            page = search_page(data, members=True, now=timezone.now(), page=search.get("page", 1))
            samples.append((time.perf_counter() - t0) * 1000)
        shown = f"more than {page.count:,}" if page.capped else f"{page.count:,}"
        out.append({"search": label, "count": shown, **_summary(samples[2:])})
    return out


# --- in the parent (``python -m bench``) --------------------------------------------------------


def _fresh_postgres() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            for db in (PG_DB, f"{PG_DB}_keystore"):
                conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{db}"')
    except Exception as exc:
        print(f"[matching/postgresql] skipped: {str(exc).strip().splitlines()[:1]}", flush=True)
        return None
    return f"postgres://postgres@127.0.0.1:5432/{PG_DB}"


def _drop_postgres() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
        for db in (PG_DB, f"{PG_DB}_keystore"):
            conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def _run_worker(name: str, database_url: str | None) -> dict:
    """Seed and time in a subprocess; ``database_url`` None: SQLite in a temporary directory."""
    var_dir = Path(tempfile.mkdtemp(prefix="wayfinder-bench-match-"))
    database_url = database_url or f"sqlite:///{var_dir / 'bench.sqlite3'}"
    try:
        print(f"[matching/{name}] seeding {SERVICES:,} services and timing searches…", flush=True)
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-m", "bench.matching", "--worker"],
            env=_env(var_dir, database_url),
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            raise RuntimeError(f"matching bench on {name} failed:\n{out.stderr[-3000:]}")
        data = json.loads(out.stdout.strip().splitlines()[-1])
        data["database"] = name
        data["seconds"] = round(time.perf_counter() - started, 1)
        print(table([data]), flush=True)
        return data
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def table(results: list[dict]) -> str:
    lines = [
        f"Matching: top 10 of {SERVICES:,} services (ms, median / p95)",
        f"{'database':<11} {'scenario':<20} {'rows':>6} {'query':>15} {'rank':>15} "
        f"{'total':>15} {'floor':>13} {'total/floor':>12}",
    ]
    for r in results:
        for s in r["scenarios"]:

            def cell(k, s=s):
                return f"{s[k]['median_ms']:.1f} / {s[k]['p95_ms']:.1f}"

            lines.append(
                f"{r['database']:<11} {s['scenario']:<20} {s['candidate_rows_median']:>6} "
                f"{cell('query'):>15} {cell('rank'):>15} {cell('total'):>15} {cell('floor'):>13} "
                f"{s['total']['median_ms'] / max(s['floor']['median_ms'], 0.01):>12.1f}"
            )
    for r in results:
        lines.append(f"Directory pages on {r['database']} (search_page, ms, median / p95)")
        for d in r.get("directory", []):
            lines.append(
                f"  {d['search']:<26} {d['median_ms']:>7.1f} / {d['p95_ms']:<7.1f} {d['count']}"
            )
    return "\n".join(lines)


def run(only: str | None = None) -> dict:
    """Both databases (PostgreSQL skipped if unreachable), or ``only`` one ("sqlite" or
    "postgresql"); prints a table, returns the figures."""
    results, skipped = [], []
    if only != "postgresql":
        results.append(_run_worker("sqlite", None))
    url = None if only == "sqlite" else _fresh_postgres()
    if url is None and only != "sqlite":
        skipped.append({"database": "postgresql", "reason": "unreachable"})
    elif url is not None:
        try:
            results.append(_run_worker("postgresql", url))
        finally:
            _drop_postgres()
    print()
    print(table(results))
    return {"services": SERVICES, "results": results, "skipped": skipped}


if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker()
    else:  # python -m bench.matching [--only sqlite|postgresql]
        only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
        print(json.dumps(run(only), indent=2))
