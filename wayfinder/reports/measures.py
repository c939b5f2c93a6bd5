"""The measures: small declarative definitions, version-controlled with the code. No free SQL.

A measure names its population (what is counted, ``queries.POPULATIONS``), its statistic, the
dimensions an analyst may break it down by, and the date that places a record in the period.
Adding one is adding a ``Measure(...)`` line here (and, for a new population or dimension, one
entry in ``queries``); docs/reports.md walks through it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

COUNT = "count"  # a table of counts, suppressed by ``suppression.publish``
SHARE = "share"  # numerator / denominator, suppressed by ``publish_share``
MEDIAN_DAYS = "median_days"  # median of per-record durations, suppressed under the threshold
PAIRED_CHANGE = "paired_change"  # first vs latest score per person, by factor

# Dimensions: key -> label. Which population supports which is in ``queries.DIMENSIONS``.
DIMENSION_LABELS: dict[str, Promise] = {
    "age_group": _("Adult or minor at intake"),
    "trafficking_form": _("Type of trafficking"),
    "gender": _("Gender"),
    "language": _("Preferred language"),
    "referral_source": _("Referral source"),
    "agency": _("Agency"),
    "category": _("Service category"),
    "status": _("Status"),
    "domain": _("Area of life"),
    "quarter": _("Quarter"),
}


@dataclass(frozen=True)
class Measure:
    name: str
    title: Promise
    population: str
    statistic: str
    population_text: Promise
    period_text: Promise
    dimensions: tuple[str, ...] = ()
    default_dimension: str = ""


MEASURES: tuple[Measure, ...] = (
    Measure(
        "persons_served",
        _("Persons served"),
        "persons_served",
        COUNT,
        _("Persons with an intake or a service delivered in the period, each counted once."),
        _("Intake date or date a service was delivered"),
        ("age_group", "trafficking_form", "gender", "language", "referral_source", "agency"),
        "age_group",
    ),
    Measure(
        "persons_new",
        _("New persons"),
        "persons_new",
        COUNT,
        _("Persons whose intake was in the period."),
        _("Intake date"),
        ("age_group", "trafficking_form", "gender", "language", "referral_source", "agency"),
        "trafficking_form",
    ),
    Measure(
        "needs",
        _("Needs identified and met"),
        "needs",
        COUNT,
        _("Needs recorded in the period, by whether they are met now."),
        _("Date the need was recorded"),
        ("category", "agency"),
        "category",
    ),
    Measure(
        "referrals",
        _("Referrals by status"),
        "referrals",
        COUNT,
        _("Referrals sent in the period, by where they stand now."),
        _("Date the referral was sent"),
        ("category", "agency"),
        "category",
    ),
    Measure(
        "accepted_48h",
        _("Share accepted within 48 hours"),
        "referrals_sent",
        SHARE,
        _("Referrals sent in the period to an agency on Wayfinder; accepted within 48 hours."),
        _("Date the referral was sent"),
    ),
    Measure(
        "survivor_confirmed",
        _("Share the person confirmed"),
        "referrals_completed",
        SHARE,
        _(
            "Referrals sent in the period that the partner completed; the person answered "
            "“Did you get the help?” with yes in the survivor portal."
        ),
        _("Date the referral was sent"),
    ),
    Measure(
        "days_to_acceptance",
        _("Median days to acceptance"),
        "referrals_accepted",
        MEDIAN_DAYS,
        _("Referrals sent in the period and accepted."),
        _("Date the referral was sent"),
    ),
    Measure(
        "days_to_completion",
        _("Median days to completion"),
        "referrals_completed",
        MEDIAN_DAYS,
        _("Referrals sent in the period and completed."),
        _("Date the referral was sent"),
    ),
    Measure(
        "services",
        _("Services delivered"),
        "services",
        COUNT,
        _("Services delivered in the period (each delivery counted once)."),
        _("Date delivered"),
        ("category", "agency"),
        "category",
    ),
    Measure(
        "protective_change",
        _("Protective factors and resilience: change"),
        "paired_scores",
        PAIRED_CHANGE,
        _(
            "Persons with two or more completed assessments up to the end of the period: "
            "first against latest score. Persons with one assessment are excluded and counted."
        ),
        _("Date of the assessment"),
    ),
    Measure(
        "sessions_language",
        _("Assessments by language and interpreter"),
        "sessions",
        COUNT,
        _(
            "Assessment sessions held in the period, by the language spoken (the one "
            "interpreted, if an interpreter took part) and whether an interpreter took part."
        ),
        _("Date of the assessment"),
        ("language", "agency"),
        "language",
    ),
    Measure(
        "goals_achieved",
        _("Plan goals achieved"),
        "goals_achieved",
        COUNT,
        _("Plan goals marked achieved in the period."),
        _("Date the goal was marked achieved"),
        ("domain", "agency"),
        "domain",
    ),
)

BY_NAME = {m.name: m for m in MEASURES}
COUNT_MEASURES = tuple(m for m in MEASURES if m.statistic == COUNT)
