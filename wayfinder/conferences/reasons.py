"""Why a person is on the agenda: one line each, computed from the data (no free text)."""

from __future__ import annotations

from django.utils.translation import ngettext

from wayfinder.core.categories import Category

# code → (data category the reason reveals, one-line wording with a count)
REASONS = {
    "steps_overdue": (
        Category.PLAN,
        lambda n: ngettext("%(n)d plan step is overdue", "%(n)d plan steps are overdue", n),
    ),
    "referral_unanswered": (
        Category.REFERRAL_REASON,
        lambda n: ngettext(
            "%(n)d referral is unanswered past its window",
            "%(n)d referrals are unanswered past their window",
            n,
        ),
    ),
    "consent_expiring": (
        Category.IDENTITY,
        lambda n: ngettext(
            "%(n)d consent expires within 14 days", "%(n)d consents expire within 14 days", n
        ),
    ),
    "deferred": (
        Category.IDENTITY,
        lambda n: ngettext(
            "Deferred from the last meeting", "Deferred from the last %(n)d meetings", n
        ),
    ),
    "actions_overdue": (
        Category.PLAN,
        lambda n: ngettext(
            "%(n)d action item from a past meeting is overdue",
            "%(n)d action items from past meetings are overdue",
            n,
        ),
    ),
    # --- reasons from assessments and the safety level ---
    "needs_urgent": (
        Category.NEEDS,
        lambda n: ngettext(
            "A new assessment found %(n)d urgent need",
            "A new assessment found %(n)d urgent needs",
            n,
        ),
    ),
    "protective_dropped": (
        Category.ASSESSMENTS,
        lambda n: ngettext(
            "Protective factors dropped since the previous assessment",
            "Protective factors dropped since the previous assessment",
            n,
        ),
    ),
    "resilience_dropped": (
        Category.ASSESSMENTS,
        lambda n: ngettext(
            "Resilience dropped since the previous assessment",
            "Resilience dropped since the previous assessment",
            n,
        ),
    ),
    "safety_changed": (
        Category.TRAFFICKING,
        lambda n: ngettext(
            "The safety level changed: %(n)d safety concern raised since the last meeting",
            "The safety level changed: %(n)d safety concerns raised since the last meeting",
            n,
        ),
    ),
}


def explain(reasons: list[dict], categories) -> list[str]:
    """The one-line reasons whose category this attendee may see."""
    lines = []
    for r in reasons:
        known = REASONS.get(r.get("code", ""))
        if known and known[0] in categories:
            n = int(r.get("count", 1))
            lines.append(known[1](n) % {"n": n})
    return lines
