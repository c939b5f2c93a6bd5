"""Server-rendered, accessible line charts of a score over time (SVG with title and desc).

The chart is a picture of the data table printed beside it; the description says in words what
the chart shows, so nothing depends on seeing it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from wayfinder.assessments.instruments import translate
from wayfinder.assessments.queries import Series

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 120, 24, 20, 48


@dataclass
class Comparison:
    first: float | None
    latest: float | None
    change: float | None
    words: str


def fmt(value: float | None) -> str:
    return "" if value is None else number_format(value, decimal_pos=2)


def compare(series: Series) -> Comparison:
    """First versus latest session with a value, in numbers and in words."""
    valued = series.valued
    if not valued:
        return Comparison(None, None, None, _("No score yet."))
    first, latest = valued[0].value, valued[-1].value
    if len(valued) == 1:
        return Comparison(first, latest, None, _("Only one session so far."))
    change = round(latest - first, 2)
    if abs(change) < 0.005:
        words = _("No change since the first session.")
    elif change > 0:
        words = _("Up %(n)s since the first session.") % {"n": fmt(change)}
    else:
        words = _("Down %(n)s since the first session.") % {"n": fmt(-change)}
    return Comparison(first, latest, change, words)


def line_chart(series: Series, *, language: str, chart_id: str, rtl: bool | None = None) -> dict:
    """Geometry and words for ``assessments/_chart.html``.

    Right to left (``rtl``, default: the current language's direction) mirrors the picture:
    time runs from right to left and the value axis stands on the right, as readers of Arabic
    expect. The SVG keeps ``direction="ltr"`` so these coordinates mean what they say.
    """
    if rtl is None:
        rtl = translation.get_language_bidi()
    rule = series.rule
    lo, hi = rule.range
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    points = series.points
    days = [(p.when - points[0].when).days for p in points]
    span = max(days[-1], 1)

    def x_of(i: int) -> float:
        x = LEFT + plot_w / 2 if len(points) == 1 else LEFT + plot_w * days[i] / span
        return WIDTH - x if rtl else x

    def y_of(v: float) -> float:
        return TOP + plot_h * (1 - (v - lo) / (hi - lo))

    dots = []
    for i, p in enumerate(points):
        if p.value is None:
            continue
        dots.append(
            {
                "x": round(x_of(i), 1),
                "y": round(y_of(p.value), 1),
                "label": f"{date_format(p.when, 'SHORT_DATE_FORMAT')}: {fmt(p.value)}",
            }
        )
    if rule.axis:
        ticks = [(v, translate(t, language)) for v, t in rule.axis]
    else:
        step = (hi - lo) / 4
        ticks = [(lo + step * n, fmt(lo + step * n)) for n in range(5)]
    yticks = [{"y": round(y_of(v), 1), "label": label} for v, label in ticks]
    xticks = [
        {
            "x": round(x_of(i), 1),
            "label": date_format(p.when, "M Y"),
            # keep the last label inside the picture
            "anchor": ("start" if rtl else "end")
            if len(points) > 1 and i == len(points) - 1
            else "middle",
        }
        for i, p in enumerate(points)
    ]
    title = translate(rule.label, language)
    cmp = compare(series)
    if dots:
        desc = _(
            "%(title)s across %(n)s sessions, from %(start)s to %(end)s. "
            "First %(first)s, latest %(latest)s. %(words)s"
        ) % {
            "title": title,
            "n": len(points),
            "start": date_format(points[0].when, "DATE_FORMAT"),
            "end": date_format(points[-1].when, "DATE_FORMAT"),
            "first": fmt(cmp.first),
            "latest": fmt(cmp.latest),
            "words": cmp.words,
        }
    else:
        desc = _("%(title)s: no score yet.") % {"title": title}
    return {
        "id": chart_id,
        "title": title,
        "desc": desc,
        "width": WIDTH,
        "height": HEIGHT,
        "plot": {
            "x0": RIGHT if rtl else LEFT,
            "x1": WIDTH - LEFT if rtl else WIDTH - RIGHT,
            "y0": TOP,
            "y1": HEIGHT - BOTTOM,
        },
        # the value axis labels: beside the plot, left of it (or right of it, right to left)
        "ylabel": {"x": WIDTH - LEFT + 8 if rtl else LEFT - 8, "anchor": "start" if rtl else "end"},
        "rtl": rtl,
        "dots": dots,
        "polyline": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "yticks": yticks,
        "xticks": xticks,
        "comparison": cmp,
    }
