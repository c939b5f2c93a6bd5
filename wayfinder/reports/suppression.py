"""Small-cell suppression: the one place a table of counts becomes a table fit to publish.

A pure module (no database, no settings, no clock), like ``matching/ranking.py``: every HTML
view, API reply, CSV, XLSX and chart of ``wayfinder.reports`` goes through ``publish``,
``publish_share`` and ``publish_mean``.

The rule (docs/reports.md has the argument in full):

1. **Primary.** A count from 1 to ``threshold - 1`` (default 11 - 1 = 10) is shown as ``"<11"``.
   Zero is shown. Totals are counts too: a small total is suppressed the same way.
2. **Complementary.** A reader knows every published figure, that each table row and column adds
   up to its total, that a ``"<11"`` cell holds 1 to 10, and that a complementary cell (shown
   ``"*"``) holds 0 or at least the threshold. A suppressed cell is safe when some *other* table
   agrees with everything published and differs in that cell. We look for that other table as
   a **cycle move**: add +1, -1, +1, ... around a closed path of suppressed cells (row, column,
   row, ...), which keeps every row and column sum; if every cell on the path stays in what the
   reader knows of it, the reader cannot tell the two tables apart, so the cell is not
   recoverable. While some suppressed cell has no such move, one more cell of its row or column
   is suppressed (the smallest that can move, preferring inner cells to totals). The total row
   (column totals and the grand total) must stay as published: every breakdown of a measure
   shares it, so one view would show what another hid. A table whose protection needs to hide
   part of it is withheld (only the grand total is shown).
3. **Shares and means** on fewer than ``threshold`` persons are suppressed; so is a share whose
   numerator, or whose remainder (denominator - numerator), is a small count, since either
   would give the small count back.

The totals live in the same grid as the cells (one extra row and column, the grand total in the
corner), so "derived from the totals" is simply "derived from the grid". A previous period
shown beside the table is published with the same rule on its own; a change between periods is
shown only where both cells are shown (``changes``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_THRESHOLD = 11

SHOWN = "shown"
SMALL = "small"  # primary: 1 .. threshold - 1
COMPLEMENT = "complement"  # hidden so that a small cell cannot be worked out
WITHHELD = "withheld"  # the whole table is too small to show any part of it

# How far the cycle search goes before it gives up and suppresses more (conservative).
_MAX_PATH = 10
_MAX_STEPS = 20000
_MAX_TRIES = 40


@dataclass(frozen=True)
class Entry:
    """One published figure: the count if shown, and how it is shown."""

    value: int | None
    status: str
    display: str

    @property
    def shown(self) -> bool:
        return self.status == SHOWN


@dataclass(frozen=True)
class Table:
    """Counts by two dimensions. Totals are the sums of the cells (computed, not given)."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[int, ...], ...]

    @classmethod
    def of(cls, rows: Sequence[str], columns: Sequence[str], cells) -> Table:
        grid = tuple(tuple(int(v) for v in row) for row in cells)
        if len(grid) != len(rows) or any(len(r) != len(columns) for r in grid):
            raise ValueError("cells do not match the rows and columns")
        if any(v < 0 for r in grid for v in r):
            raise ValueError("counts cannot be negative")
        return cls(tuple(rows), tuple(columns), grid)

    def grid(self) -> list[list[int]]:
        """The cells with a total column, a total row and the grand total in the corner."""
        out = [[*row, sum(row)] for row in self.cells]
        col_totals = [sum(r[j] for r in self.cells) for j in range(len(self.columns))]
        out.append([*col_totals, sum(col_totals)])
        return out


@dataclass(frozen=True)
class Published:
    """A table fit to publish: ``grid[i][j]`` as in ``Table.grid``, each an ``Entry``."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    grid: tuple[tuple[Entry, ...], ...]
    threshold: int
    withheld: bool = False  # nothing but "fewer than the threshold in all" may be shown

    @property
    def cells(self) -> list[tuple[Entry, ...]]:
        return [row[:-1] for row in self.grid[:-1]]

    @property
    def row_totals(self) -> list[Entry]:
        return [row[-1] for row in self.grid[:-1]]

    @property
    def column_totals(self) -> tuple[Entry, ...]:
        return self.grid[-1][:-1]

    @property
    def total(self) -> Entry:
        return self.grid[-1][-1]

    def count(self, status: str) -> int:
        return sum(1 for row in self.grid for e in row if e.status == status)


def small_label(threshold: int) -> str:
    return f"<{threshold}"


COMPLEMENT_LABEL = "*"


def _entry(value: int, status: str, threshold: int) -> Entry:
    if status == SHOWN:
        return Entry(value, SHOWN, str(value))
    if status == SMALL:
        return Entry(None, SMALL, small_label(threshold))
    return Entry(None, COMPLEMENT, COMPLEMENT_LABEL)


def feasible(value: int, status: str, threshold: int, cap: int) -> bool:
    """Whether a reader of the published table would think ``value`` possible for this cell."""
    if value < 0 or value > cap:
        return False
    if status == SMALL:
        return 1 <= value < threshold
    if status == COMPLEMENT:
        return value == 0 or value >= threshold
    return True


def _cap(grid: list[list[int]], status: list[list[str]], threshold: int) -> int:
    """The most any cell could hold, to a reader: the grand total if shown."""
    if status[-1][-1] == SHOWN:
        return grid[-1][-1]
    if status[-1][-1] == SMALL:
        return threshold - 1
    return 10**9


def _sign(i: int, j: int, n_rows: int, n_cols: int) -> int:
    # In the grid with totals, cells minus their total sum to zero along every line: a total
    # enters its equations with the opposite sign to a cell (the corner, twice flipped, with +).
    return -1 if (i == n_rows) != (j == n_cols) else 1


def has_move(
    grid: list[list[int]], status: list[list[str]], threshold: int, at: tuple[int, int]
) -> bool:
    """Whether a cycle move through suppressed cells changes cell ``at`` and stays feasible."""
    n_rows, n_cols = len(grid) - 1, len(grid[0]) - 1
    cap = _cap(grid, status, threshold)
    hidden = {(i, j) for i, row in enumerate(status) for j, s in enumerate(row) if s != SHOWN}
    by_row: dict[int, list[int]] = {}
    by_col: dict[int, list[int]] = {}
    for i, j in hidden:
        by_row.setdefault(i, []).append(j)
        by_col.setdefault(j, []).append(i)
    for v in by_row.values():
        v.sort()
    for v in by_col.values():
        v.sort()

    def ok(path: list[tuple[int, int]]) -> bool:
        for direction in (1, -1):
            good = True
            for k, (i, j) in enumerate(path):
                step = direction * (1 if k % 2 == 0 else -1) * _sign(i, j, n_rows, n_cols)
                if not feasible(grid[i][j] + step, status[i][j], threshold, cap):
                    good = False
                    break
            if good:
                return True
        return False

    start_row = at[0]
    steps = 0
    # Walk: from ``at`` along its column to another hidden cell, then along that cell's row,
    # alternating, until a hidden cell of ``at``'s own row closes the cycle.
    stack: list[tuple[list[tuple[int, int]], bool]] = [([at], True)]
    while stack:
        path, along_column = stack.pop()
        steps += 1
        if steps > _MAX_STEPS:
            return False
        i, j = path[-1]
        if along_column:
            used_rows = {c[0] for c in path}
            for r in by_col.get(j, ()):
                if r == i:
                    continue
                if r == start_row:
                    if len(path) >= 3 and ok([*path, (r, j)]):
                        return True
                    continue
                if r in used_rows or len(path) + 2 > _MAX_PATH:
                    continue
                stack.append(([*path, (r, j)], False))
        else:
            used_cols = {c[1] for c in path}
            for c in by_row.get(i, ()):
                if c in used_cols:
                    continue
                stack.append(([*path, (i, c)], True))
    return False


def _pick_complement(
    grid: list[list[int]], status: list[list[str]], threshold: int, at: tuple[int, int]
) -> tuple[int, int] | None:
    """The shown cell to hide next for ``at``: least loss, and one that gives ``at`` a move.

    Candidates in ``at``'s row or column come first, inner cells before totals, smaller before
    larger; a zero never moves (0 +- 1 is neither 0 nor >= threshold), so zeros come last. The
    first candidate whose hiding gives ``at`` a move wins; if none does on its own, the best
    candidate of the line is hidden and the search goes on from there.
    """
    n_rows, n_cols = len(grid) - 1, len(grid[0]) - 1
    i0, j0 = at
    line = {(i0, j) for j in range(n_cols + 1)} | {(i, j0) for i in range(n_rows + 1)}

    def key(cell: tuple[int, int]) -> tuple:
        i, j = cell
        v = grid[i][j]
        is_total = i == n_rows or j == n_cols
        return (v == 0, cell not in line, v == threshold, is_total, v, i, j)

    shown = sorted(
        ((i, j) for i in range(n_rows + 1) for j in range(n_cols + 1) if status[i][j] == SHOWN),
        key=key,
    )
    if not shown:
        return None
    for cell in shown[:_MAX_TRIES]:
        status[cell[0]][cell[1]] = COMPLEMENT
        moved = has_move(grid, status, threshold, at)
        status[cell[0]][cell[1]] = SHOWN
        if moved:
            return cell
    return shown[0]


def publish(table: Table, *, threshold: int = DEFAULT_THRESHOLD, complementary: bool = True):
    """The table as it may be published (see the module docstring for the rule)."""
    if threshold < 3:
        raise ValueError("the threshold must be 3 or more")
    grid = table.grid()
    status = [[SMALL if 0 < v < threshold else SHOWN for v in row] for row in grid]
    if complementary:
        while True:
            stuck = next(
                (
                    (i, j)
                    for i, row in enumerate(status)
                    for j, s in enumerate(row)
                    if s != SHOWN and not has_move(grid, status, threshold, (i, j))
                ),
                None,
            )
            if stuck is None:
                break
            pick = _pick_complement(grid, status, threshold, stuck)
            if pick is None:
                # Everything is hidden and the markers alone still pin a cell (a tiny table:
                # the cells' ranges leave one way to add up): show no part of it.
                return _withheld(table, grid, threshold)
            status[pick[0]][pick[1]] = COMPLEMENT
        if any(s == COMPLEMENT for s in status[-1]):
            # The total row (column totals, grand total) is the same in every breakdown of the
            # measure, so another view shows what this one hid: a table that needs to hide part
            # of it shows no part but the grand total.
            return _withheld(table, grid, threshold)
    entries = tuple(
        tuple(_entry(v, s, threshold) for v, s in zip(row, srow, strict=True))
        for row, srow in zip(grid, status, strict=True)
    )
    return Published(table.rows, table.columns, entries, threshold)


def _withheld(table: Table, grid: list[list[int]], threshold: int) -> Published:
    blank = Entry(None, WITHHELD, "")
    entries = [[blank for _ in row] for row in grid]
    total = grid[-1][-1]
    entries[-1][-1] = _entry(total, SMALL if 0 < total < threshold else SHOWN, threshold)
    return Published(
        table.rows,
        table.columns,
        tuple(tuple(row) for row in entries),
        threshold,
        withheld=True,
    )


def publish_share(numerator: int, denominator: int, *, threshold: int = DEFAULT_THRESHOLD):
    """numerator / denominator, or None when it would show or rest on a small count."""
    if denominator < threshold:
        return None
    if 0 < numerator < threshold or 0 < denominator - numerator < threshold:
        return None
    return numerator / denominator


def publish_mean(total: float, n: int, *, threshold: int = DEFAULT_THRESHOLD):
    """total / n, or None when fewer than ``threshold`` values went into it."""
    if n < threshold:
        return None
    return total / n


def changes(current: Published, previous: Published) -> list[list[int | None]]:
    """Cell-by-cell change between two periods, only where both periods show the cell."""
    out = []
    for row_now, row_then in zip(current.grid, previous.grid, strict=True):
        out.append(
            [
                (a.value - b.value) if a.shown and b.shown else None  # type: ignore[operator]
                for a, b in zip(row_now, row_then, strict=True)
            ]
        )
    return out
