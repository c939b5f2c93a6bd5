"""Trend charts in the shape of ``assessments/_chart.html`` (the project's chart helper).

Only published counts are drawn: a suppressed quarter is a gap in the line, said in words in
the description, and the data table beside the chart shows its marker.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from wayfinder.reports.queries import Figure

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 20, 48


def trend_chart(figure: Figure, chart_id: str) -> dict:
    assert figure.table is not None
    values = [row[0].value for row in figure.table.grid[:-1]]
    labels = figure.row_labels
    shown = [v for v in values if v is not None]
    hi = max([*shown, 1])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(values)

    def x_of(i: int) -> float:
        return LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y_of(v: float) -> float:
        return TOP + plot_h * (1 - v / hi)

    dots = [
        {"x": round(x_of(i), 1), "y": round(y_of(v), 1), "label": f"{labels[i]}: {v}"}
        for i, v in enumerate(values)
        if v is not None
    ]
    ticks = [0, hi / 2, hi]
    title = figure.title
    hidden = n - len(dots)
    desc = _("%(title)s by quarter, %(n)s quarters, from %(first)s to %(last)s.") % {
        "title": title,
        "n": n,
        "first": labels[0] if labels else "",
        "last": labels[-1] if labels else "",
    }
    if dots:
        desc += " " + _("Lowest %(lo)s, highest %(hi)s.") % {"lo": min(shown), "hi": max(shown)}
    if hidden:
        desc += " " + _("%(n)s quarters are suppressed (small counts).") % {"n": hidden}
    return {
        "id": chart_id,
        "title": title,
        "desc": desc,
        "width": WIDTH,
        "height": HEIGHT,
        "plot": {"x0": LEFT, "x1": WIDTH - RIGHT, "y0": TOP, "y1": HEIGHT - BOTTOM},
        "dots": dots,
        "polyline": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "yticks": [{"y": round(y_of(v), 1), "label": f"{v:.0f}"} for v in ticks],
        "xticks": [
            {
                "x": round(x_of(i), 1),
                "label": labels[i][:7],
                "anchor": "end" if n > 1 and i == n - 1 else ("start" if i == 0 else "middle"),
            }
            for i in range(0, n, max(1, n // 4))
        ],
    }
