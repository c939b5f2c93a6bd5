"""CSV and XLSX of a published figure: the same strings the page shows, nothing else."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from wayfinder.reports.queries import Figure


def rows_of(figure: Figure) -> list[list[str]]:
    """Title, population and period lines, a blank line, then the table as published."""
    out: list[list[str]] = [
        [figure.title],
        [str(figure.measure.population_text)],
        [f"{figure.measure.period_text}: {figure.period.label()}"],
        [],
    ]
    if figure.table is not None:
        t = figure.table
        out.append(["", *figure.column_labels, "Total"])
        for label, row in zip(figure.row_labels, t.grid, strict=False):
            out.append([label, *(e.display for e in row)])
        out.append(["Total", *(e.display for e in t.grid[-1])])
    for stat in figure.stats:
        out.append([stat.label, stat.display, stat.base])
    return out


def to_csv(figure: Figure) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    for row in rows_of(figure):
        writer.writerow(row)
    return buf.getvalue()


def to_xlsx(figure: Figure) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = figure.measure.name[:31]
    for row in rows_of(figure):
        # Strings as shown: a "<11" stays text, a count stays a number.
        ws.append([int(v) if v.isdigit() else v for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
