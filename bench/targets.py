"""Issue 16's targets against one `make bench` run: what each asks, what the run measured, met.

`python -m bench` prints this table last, from the run's matching figures and the
`bench/results/concurrency.json` that `bench.concurrency` wrote in the same run. A target the run
did not measure says so and how to measure it (the 10⁶-person pages take a seeding of 15-25
minutes: `bench.profile`), rather than passing quietly.
"""

from __future__ import annotations

from dataclasses import dataclass

CLIENTS = 8  # the level the page targets are stated at
PERSON_PAGE_SHARE = 0.35
LIST_SHARE = 0.40
WRITE_MIX_FLOOR = 0.80  # "throughput drops by no more than 20%"
RADIUS_MEDIAN_MS, RADIUS_P95_MS = 10.0, 30.0
STATEWIDE_MEDIAN_MS = 50.0
MILLION = (
    "10⁶ persons: list, dashboard and inbox within 3 times the floor (median)",
    "not measured by make bench: DATABASE_URL=postgres://…/wf_million "
    ".venv/bin/python -m bench.profile --fresh --persons 1000000 --agencies 20",
)


@dataclass(frozen=True)
class Check:
    target: str
    measured: str
    met: bool | None  # None: this run did not measure it


def _share(pages: dict, label: str, clients: int) -> float | None:
    floor = {r["clients"]: r["rps"] for r in pages.get("/bench/floor", [])}
    for row in pages.get(label, []):
        if row["clients"] == clients and floor.get(clients):
            return row["rps"] / floor[clients]
    return None


def _concurrency(results: dict | None) -> list[Check]:
    pages = (results or {}).get("pages", {})
    checks = []
    for label, share, name in (
        ("person page", PERSON_PAGE_SHARE, "the person page"),
        ("person list", LIST_SHARE, "the list"),
    ):
        target = f"{CLIENTS} clients: {name} at {share:.0%} or more of the floor's req/s"
        got = _share(pages, label, CLIENTS)
        if got is None:
            checks.append(Check(target, "not measured (bench.concurrency)", None))
        else:
            checks.append(Check(target, f"{got:.3f}", got >= share))
    mix = (results or {}).get("mix", {})
    read = {r["clients"]: r["rps"] for r in mix.get("read-only", [])}
    write = {r["clients"]: r["rps"] for r in mix.get("10% writes", [])}
    ratios = {n: write[n] / read[n] for n in sorted(read) if n in write and read[n]}
    target = f"10% audited writes: throughput {WRITE_MIX_FLOOR:.0%} or more of read-only"
    if not ratios:
        checks.append(Check(target, "not measured (bench.concurrency)", None))
    else:
        shown = ", ".join(f"{ratios[n]:.2f} at {n}" for n in ratios)
        checks.append(Check(target, shown, min(ratios.values()) >= WRITE_MIX_FLOOR))
    return checks


def _matching(report: dict | None) -> list[Check]:
    results = (report or {}).get("results", [])
    if not results:
        return [Check("matching at 10⁵ services", "not measured (--skip-matching)", None)]
    checks = []
    for r in results:
        by = {s["scenario"]: s for s in r.get("scenarios", [])}
        radius, statewide = by.get("radius_25mi"), by.get("statewide_no_radius")
        target = (
            f"{r['database']}: 25-mile search, median ≤ {RADIUS_MEDIAN_MS:g} ms "
            f"and p95 ≤ {RADIUS_P95_MS:g} ms"
        )
        if radius is None:
            checks.append(Check(target, "not measured", None))
        else:
            median, p95 = radius["total"]["median_ms"], radius["total"]["p95_ms"]
            met = median <= RADIUS_MEDIAN_MS and p95 <= RADIUS_P95_MS
            checks.append(Check(target, f"{median:.1f} / {p95:.1f} ms", met))
        target = f"{r['database']}: statewide search, median ≤ {STATEWIDE_MEDIAN_MS:g} ms"
        if statewide is None:
            checks.append(Check(target, "not measured", None))
        else:
            median = statewide["total"]["median_ms"]
            checks.append(Check(target, f"{median:.1f} ms", median <= STATEWIDE_MEDIAN_MS))
    return checks


def checks(matching: dict | None, concurrency: dict | None) -> list[Check]:
    """Every target of the issue, in its order, against this run's figures."""
    return [*_concurrency(concurrency), Check(*MILLION, None), *_matching(matching)]


def table(rows: list[Check]) -> str:
    mark = {True: "met", False: "NOT MET", None: "-"}
    lines = ["Issue 16's targets in this run", "| target | measured | |", "|---|---|---|"]
    lines += [f"| {c.target} | {c.measured} | {mark[c.met]} |" for c in rows]
    return "\n".join(lines)
