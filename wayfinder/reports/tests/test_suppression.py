"""Small-cell suppression: no suppressed cell can be worked out from what is published.

The checker here is independent of the engine's own cycle search: it enumerates every table a
reader could believe (each hidden cell in what its marker allows, every row and column adding
up to its published total) and asks whether a hidden cell takes one value in all of them.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wayfinder.reports.suppression import (
    COMPLEMENT,
    SHOWN,
    SMALL,
    Table,
    changes,
    publish,
    publish_mean,
    publish_share,
)


def _domain(status: str, threshold: int, cap: int) -> list[int]:
    if status == SMALL:
        return list(range(1, threshold))
    return [0, *range(threshold, cap + 1)]


def _equations(n_rows: int, n_cols: int) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
    """(cells that add up, the total they add up to) for every line of the grid with totals."""
    eqs = []
    for i in range(n_rows + 1):
        eqs.append(([(i, j) for j in range(n_cols)], (i, n_cols)))
    for j in range(n_cols + 1):
        eqs.append(([(i, j) for i in range(n_rows)], (n_rows, j)))
    return eqs


def _propagate(domains, grid, eqs) -> bool:
    """Narrow each hidden cell to what every line's sum allows; False if one runs out."""

    def bounds(c):
        if c in domains:
            return domains[c][0], domains[c][-1]
        v = grid[c[0]][c[1]]
        return v, v

    changed = True
    while changed:
        changed = False
        for parts, total in eqs:
            terms = [(c, 1) for c in parts] + [(total, -1)]
            lo = sum(bounds(c)[0] if k > 0 else -bounds(c)[1] for c, k in terms)
            hi = sum(bounds(c)[1] if k > 0 else -bounds(c)[0] for c, k in terms)
            for c, k in terms:
                if c not in domains:
                    continue
                c_lo, c_hi = bounds(c)
                # k*c + rest = 0, rest in [lo - k-part, hi - k-part]
                rest_lo = lo - (c_lo if k > 0 else -c_hi)
                rest_hi = hi - (c_hi if k > 0 else -c_lo)
                allowed = (-rest_hi, -rest_lo) if k > 0 else (rest_lo, rest_hi)
                kept = [v for v in domains[c] if allowed[0] <= v <= allowed[1]]
                if not kept:
                    return False
                if len(kept) != len(domains[c]):
                    domains[c] = kept
                    changed = True
                    break
            if changed:
                break
    return True


def _solve(grid, hidden, domains, eqs, forbid=None):
    """Whether some table agrees with every published figure (optionally, not ``forbid``)."""
    domains = {c: list(d) for c, d in domains.items()}
    if forbid:
        domains[forbid[0]] = [v for v in domains[forbid[0]] if v != forbid[1]]
        if not domains[forbid[0]]:
            return None

    def walk(doms):
        if not _propagate(doms, grid, eqs):
            return None
        open_cells = [c for c in hidden if len(doms[c]) > 1]
        if not open_cells:
            return {c: doms[c][0] for c in hidden}
        cell = min(open_cells, key=lambda c: len(doms[c]))
        for v in doms[cell]:
            trial = {c: list(d) for c, d in doms.items()}
            trial[cell] = [v]
            found = walk(trial)
            if found is not None:
                return found
        return None

    return walk(domains)


def leaks(published, truth: list[list[int]]) -> list[tuple[int, int]]:
    """The hidden cells a reader can pin to one value from the published table."""
    t = published.threshold
    n_rows, n_cols = len(published.rows), len(published.columns)
    grid = [[e.value if e.status == SHOWN else None for e in row] for row in published.grid]
    status = [[e.status for e in row] for row in published.grid]
    corner = status[-1][-1]
    cap = truth[-1][-1] if corner == SHOWN else (t - 1 if corner == SMALL else truth[-1][-1] + t)
    hidden = [(i, j) for i in range(n_rows + 1) for j in range(n_cols + 1) if grid[i][j] is None]
    domains = {c: _domain(status[c[0]][c[1]], t, cap) for c in hidden}
    eqs = _equations(n_rows, n_cols)
    base = _solve(grid, hidden, domains, eqs)
    assert base is not None, "the true table must be one the reader could believe"
    return [c for c in hidden if _solve(grid, hidden, domains, eqs, forbid=(c, base[c])) is None]


# A population of persons, each with three attributes; a table crosses two of them.
population = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 3)), min_size=0, max_size=70
)
dimensions = st.sampled_from(list(itertools.permutations(range(3), 2)))


def crosstab(people, dims) -> Table:
    a, b = dims
    rows = sorted({p[a] for p in people}) or [0]
    cols = sorted({p[b] for p in people}) or [0]
    cells = [[sum(1 for p in people if p[a] == r and p[b] == c) for c in cols] for r in rows]
    return Table.of([str(r) for r in rows], [str(c) for c in cols], cells)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=population, dims=dimensions, threshold=st.sampled_from([3, 5, 11]))
def test_no_suppressed_cell_is_recoverable(people, dims, threshold):
    """For random populations and dimensions, every hidden cell has two possible values."""
    table = crosstab(people, dims)
    published = publish(table, threshold=threshold)
    truth = table.grid()
    if published.withheld:
        # The markers alone would pin a cell (tiny tables): only the grand total is shown.
        assert all(e.value is None for row in published.grid for e in row[:-1])
        assert all(e.value is None for e in published.grid[-1][:-1])
        return
    for row, trow in zip(published.grid, truth, strict=True):
        for e, v in zip(row, trow, strict=True):
            assert e.value == (v if e.status == SHOWN else None)
            if 0 < v < threshold:
                assert e.status == SMALL and e.display == f"<{threshold}"
    assert leaks(published, truth) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=population, threshold=st.sampled_from([3, 5, 11]))
def test_two_breakdowns_of_one_measure_publish_the_same_totals(people, threshold):
    """Attribute 0 by 1 and attribute 2 by 1 share their column totals and grand total: neither
    view may hide a total the other shows, or together they would tell what each one hid."""
    views = [publish(crosstab(people, dims), threshold=threshold) for dims in ((0, 1), (2, 1))]
    first, second = views
    if first.withheld or second.withheld:
        return  # a withheld view shows no part but the grand total
    assert first.columns == second.columns
    assert [(e.status, e.value) for e in first.grid[-1]] == [
        (e.status, e.value) for e in second.grid[-1]
    ]
    assert all(e.status != COMPLEMENT for v in views for e in v.grid[-1])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=st.lists(st.lists(st.integers(0, 30), min_size=3, max_size=3), min_size=2, max_size=4))
def test_no_leak_in_dense_tables(cells):
    """Tables with many small cells and few zeros hold too."""
    table = Table.of([str(i) for i in range(len(cells))], ["a", "b", "c"], cells)
    published = publish(table, threshold=11)
    if published.withheld:  # only the grand total is shown
        assert all(e.value is None for row in published.grid for e in row[:-1])
        return
    assert leaks(published, table.grid()) == []


def test_the_checker_finds_the_leak_without_complementary_suppression():
    """Turned off, a lone small cell is its row total minus the rest: the checker says so."""
    table = Table.of(["north", "south"], ["women", "men"], [[5, 20], [30, 40]])
    primary_only = publish(table, complementary=False)
    assert primary_only.grid[0][0].display == "<11"
    assert leaks(primary_only, table.grid()) == [(0, 0)]
    assert leaks(publish(table), table.grid()) == []


@settings(max_examples=60, deadline=None)
@given(people=population, dims=dimensions)
def test_primary_only_leaks_somewhere(people, dims):
    """The property above is not vacuous: without complements a lone small cell leaks."""
    table = crosstab(people, dims)
    primary_only = publish(table, complementary=False)
    lonely = any(sum(1 for e in row if e.status == SMALL) == 1 for row in primary_only.grid) or any(
        sum(1 for row in primary_only.grid if row[j].status == SMALL) == 1
        for j in range(len(table.columns) + 1)
    )
    if lonely:
        assert leaks(primary_only, table.grid())


def test_complements_are_marked_apart_and_counted():
    table = Table.of(["a", "b", "c"], ["x", "y", "z"], [[5, 20, 30], [40, 50, 60], [12, 15, 3]])
    published = publish(table)
    assert published.count(SMALL) == 2
    assert published.count(COMPLEMENT) >= 2
    assert published.total.display == "235"


def test_zero_is_shown_and_a_small_total_is_hidden():
    published = publish(Table.of(["a"], ["x", "y"], [[0, 4]]))
    assert published.grid[0][0].display == "0"
    assert published.total.display == "<11"


@pytest.mark.parametrize(
    ("num", "den", "shown"),
    [(30, 45, True), (5, 40, False), (38, 40, False), (0, 40, True), (40, 40, True), (6, 8, False)],
)
def test_shares_on_small_numbers_are_suppressed(num, den, shown):
    assert (publish_share(num, den) is not None) is shown


def test_means_on_fewer_than_the_threshold_are_suppressed():
    assert publish_mean(20.0, 10) is None
    assert publish_mean(22.0, 11) == 2.0


def test_change_between_periods_only_where_both_are_shown():
    now = publish(Table.of(["a", "b"], ["x"], [[5], [30]]))
    then = publish(Table.of(["a", "b"], ["x"], [[15], [30]]))
    delta = changes(now, then)
    assert delta[0][0] is None and delta[-1][-1] == -10
