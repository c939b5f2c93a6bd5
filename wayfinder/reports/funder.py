"""Funder reports as definitions over the measures, mapped through ``funder_mapping.yaml``.

Mapping happens *before* suppression: our counts are regrouped into the funder's categories,
then the funder's table goes through ``suppression.publish`` like every other table.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from wayfinder.reports import measures as m
from wayfinder.reports import queries as q
from wayfinder.reports.suppression import Published, Table, publish

MAPPING_FILE = Path(__file__).with_name("funder_mapping.yaml")


@cache
def mapping() -> dict:
    return yaml.safe_load(MAPPING_FILE.read_text(encoding="utf-8"))


@dataclass
class Section:
    title: str
    table: Published


@dataclass
class FunderReport:
    name: str
    title: str
    version: int
    period: q.Period
    sections: list[Section]
    stats: list[q.Stat]


DEFINITIONS = {
    "tims": _("OVC TIMS-style quarterly snapshot"),
    "tvap": _("ACF TVAP-style entry characteristics and 48-hour match"),
}


def _mapped(qs, field: str, table_map: dict, *, distinct: bool = True) -> Table:
    counts: dict[str, int] = {}
    for row in qs.order_by().values(field).annotate(n=Count("pk", distinct=distinct)):
        key = table_map.get(str(row[field] or ""), table_map.get("", "Unknown"))
        counts[key] = counts.get(key, 0) + row["n"]
    labels = list(dict.fromkeys(table_map.values()))
    return Table.of(labels, ["Clients"], [[counts.get(k, 0)] for k in labels])


def _regroup(rows: list[dict], field: str, table_map: dict) -> Table:
    counts: dict[str, int] = {}
    for row in rows:
        key = table_map.get(str(row[field] or ""), table_map.get("", "Unknown"))
        counts[key] = counts.get(key, 0) + row["n"]
    labels = list(dict.fromkeys(table_map.values()))
    return Table.of(labels, ["Clients"], [[counts.get(k, 0)] for k in labels])


def _section(title, table: Table) -> Section:
    return Section(str(title), publish(table, threshold=q.threshold()))


def run(name: str, scope: q.Scope, period: q.Period) -> FunderReport:
    cfg = mapping()[name]
    version = int(mapping()["version"])
    if name == "tims":
        # One pass over the persons served, grouped by every TIMS dimension at once (each
        # person is one row of Person, so the groups add up to the total).
        served = list(
            q._persons(scope, period, new_only=False)
            .order_by()
            .values("age_group", "trafficking_form", "gender_identity")
            .annotate(n=Count("pk"))
        )
        new_count = q._persons(scope, period, new_only=True).order_by().count()
        totals = Table.of(
            ["Total clients", "New clients"],
            ["Clients"],
            [[sum(r["n"] for r in served)], [new_count]],
        )
        sections = [
            _section(_("Clients, total and new"), totals),
            _section(_("Adult or minor"), _regroup(served, "age_group", cfg["age_group"])),
            _section(
                _("Trafficking type"),
                _regroup(served, "trafficking_form", cfg["trafficking_type"]),
            ),
            _section(_("Gender"), _regroup(served, "gender_identity", cfg["gender"])),
            _section(
                _("Services provided"),
                _mapped(q._services(scope, period), "category", cfg["services"], distinct=False),
            ),
        ]
        return FunderReport(name, str(DEFINITIONS[name]), version, period, sections, [])
    new = q._persons(scope, period, new_only=True)
    sections = [
        _section(_("Gender identity"), _mapped(new, "gender_identity", cfg["gender"])),
        _section(_("Age at intake"), _mapped(new, "age_group", cfg["age_group"])),
        _section(_("Referral source"), _mapped(new, "referral_source", cfg["referral_source"])),
    ]
    matched = q.referral_stats(m.BY_NAME["accepted_48h"], scope, period)
    return FunderReport(name, str(DEFINITIONS[name]), version, period, sections, matched.stats)


def as_json(report: FunderReport) -> dict:
    """What a saved run keeps: published figures only."""
    return {
        "title": report.title,
        "period": [report.period.start.isoformat(), report.period.end.isoformat()],
        "sections": [
            {
                "title": s.title,
                "rows": [
                    [label, row[0].display]
                    for label, row in zip(s.table.rows, s.table.grid, strict=False)
                ],
                "total": s.table.total.display,
            }
            for s in report.sections
        ],
        "stats": [
            {"label": st.label, "display": st.display, "base": st.base} for st in report.stats
        ],
    }
