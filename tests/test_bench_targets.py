"""`bench/targets.py`: issue 16's targets read off one run's figures, met or not, or unmeasured."""

from __future__ import annotations

from bench.targets import checks, table


def level(clients: int, rps: float) -> dict:
    return {"clients": clients, "rps": rps, "median_ms": 1.0, "p95_ms": 2.0}


def concurrency(*, person: float, people: float, write: float = 95.0) -> dict:
    """A run at 1 and 8 clients whose floor serves 400 req/s at 8."""
    return {
        "pages": {
            "/bench/floor": [level(1, 300.0), level(8, 400.0)],
            "person page": [level(1, 30.0), level(8, person)],
            "person list": [level(1, 50.0), level(8, people)],
        },
        "mix": {
            "read-only": [level(1, 50.0), level(8, 100.0)],
            "10% writes": [level(1, 50.0), level(8, write)],
        },
    }


def scenario(name: str, median: float, p95: float) -> dict:
    return {"scenario": name, "total": {"median_ms": median, "p95_ms": p95}}


def matching(radius=(8.0, 25.0), statewide=(30.0, 60.0)) -> dict:
    return {
        "results": [
            {
                "database": "postgresql",
                "scenarios": [
                    scenario("radius_25mi", *radius),
                    scenario("statewide_no_radius", *statewide),
                ],
            }
        ]
    }


def by_target(rows) -> dict:
    return {c.target: (c.measured, c.met) for c in rows}


def test_the_page_shares_are_read_at_eight_clients_against_that_levels_floor():
    rows = by_target(checks(None, concurrency(person=140.0, people=160.0)))
    assert rows["8 clients: the person page at 35% or more of the floor's req/s"] == ("0.350", True)
    assert rows["8 clients: the list at 40% or more of the floor's req/s"] == ("0.400", True)
    rows = by_target(checks(None, concurrency(person=139.0, people=159.0)))
    assert rows["8 clients: the person page at 35% or more of the floor's req/s"] == (
        "0.347",
        False,
    )
    assert rows["8 clients: the list at 40% or more of the floor's req/s"][1] is False


def test_the_write_mix_must_hold_at_every_level():
    target = "10% audited writes: throughput 80% or more of read-only"
    assert by_target(checks(None, concurrency(person=1, people=1, write=80.0)))[target] == (
        "1.00 at 1, 0.80 at 8",
        True,
    )
    assert by_target(checks(None, concurrency(person=1, people=1, write=79.0)))[target][1] is False


def test_matching_is_checked_per_database_on_median_and_p95():
    rows = by_target(checks(matching(), None))
    assert rows["postgresql: 25-mile search, median ≤ 10 ms and p95 ≤ 30 ms"] == (
        "8.0 / 25.0 ms",
        True,
    )
    assert rows["postgresql: statewide search, median ≤ 50 ms"] == ("30.0 ms", True)
    slow_tail = by_target(checks(matching(radius=(8.0, 30.1)), None))
    assert slow_tail["postgresql: 25-mile search, median ≤ 10 ms and p95 ≤ 30 ms"][1] is False
    slow = by_target(checks(matching(statewide=(50.1, 60.0)), None))
    assert slow["postgresql: statewide search, median ≤ 50 ms"][1] is False


def test_what_the_run_did_not_measure_says_so_and_never_passes():
    rows = checks(None, None)
    assert [c.met for c in rows] == [None] * len(rows)
    assert any("bench.profile --fresh --persons 1000000" in c.measured for c in rows)
    printed = table(rows)
    assert "NOT MET" not in printed and "| met |" not in printed
    assert "not measured (--skip-matching)" in printed


def test_the_table_marks_each_target():
    printed = table(checks(matching(), concurrency(person=40.0, people=200.0)))
    assert (
        "| 8 clients: the person page at 35% or more of the floor's req/s | 0.100 | NOT MET |"
        in (printed)
    )
    assert "| 8 clients: the list at 40% or more of the floor's req/s | 0.500 | met |" in printed
