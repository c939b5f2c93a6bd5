"""The words for each matching reason, in the user's language (ranking itself has no words)."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wayfinder.core.languages import language_name
from wayfinder.directory.interpreters import language_access_text
from wayfinder.directory.taxonomy import GENDERS
from wayfinder.matching.ranking import Reason


def _ages(low, high) -> str:
    low = None if low is None else int(low)
    high = None if high is None else int(high)
    if low is not None and high is not None:
        return _("ages %(low)s to %(high)s") % {"low": low, "high": high}
    if low is not None:
        return _("ages %(low)s and over") % {"low": low}
    return _("ages up to %(high)s") % {"high": high}


def reason_text(reason: Reason) -> str:
    """One reason as a short phrase ("Speaks Spanish", "2.3 mi", "Waitlist ~10 days")."""
    code, value = reason.code, reason.value
    if code == "speaks":
        return _("Speaks %(language)s") % {"language": language_name(value)}
    if code == "interpreter":
        return _("Interpreter for %(language)s") % {"language": language_name(value)}
    if code == "no_interpreter":
        return _("No %(language)s, no interpreter") % {"language": language_name(value)}
    if code == "languages_unknown":
        return _("Languages not listed")
    if code == "distance":
        return _("%(miles)s mi") % {"miles": number_format(value, 1)}
    if code == "remote":
        return _("No fixed site (phone or online)")
    if code == "openings":
        return ngettext("%(n)s opening now", "%(n)s openings now", value) % {"n": value}
    if code == "no_wait":
        return _("No waitlist")
    if code == "waitlist":
        return ngettext("Waitlist ~%(days)s day", "Waitlist ~%(days)s days", value) % {
            "days": value
        }
    if code == "capacity_unknown":
        return _("Capacity not known")
    if code == "capacity_stale":
        return ngettext(
            "Capacity last updated %(days)s day ago",
            "Capacity last updated %(days)s days ago",
            value,
        ) % {"days": value}
    if code == "trauma_informed":
        return _("Trauma-informed")
    if code == "trafficking_specific":
        return _("Experience with trafficking survivors")
    if code == "staff_gender":
        return _("Women staff") if value == "women" else _("Men staff")
    if code == "staff_mixed":
        return _("Women and men staff")
    if code == "staff_unknown":
        return _("Gender of staff not listed")
    if code == "faith_based":
        return _("Faith-based")
    if code == "not_faith_based":
        return _("Not faith-based")
    if code == "check_gender":
        only = ", ".join(str(GENDERS[g]) for g in value if g in GENDERS)
        return _("Check eligibility: only for %(genders)s") % {"genders": only}
    if code == "in_area":
        if value:
            return _("Serves %(area)s") % {"area": value}
        return _("Serves this area")
    if code == "check_area":
        if value:
            return _("Check the service area: %(areas)s") % {"areas": ", ".join(value)}
        return _("Check the service area")
    if code == "check_age":
        return _("Check eligibility: %(ages)s") % {"ages": _ages(*value)}
    return code


LANGUAGE_CODES = frozenset({"speaks", "interpreter", "no_interpreter", "languages_unknown"})


def language_line(reasons) -> str:
    """The plain line under a match: "Staff speak Vietnamese", or that an interpreter will be
    needed (and whether the service offers one). Display only: the ranking is unchanged."""
    for reason in reasons:
        if reason.code in LANGUAGE_CODES:
            return language_access_text(reason.code, reason.value)
    return ""


def reason_dict(reason: Reason) -> dict:
    return {
        "code": reason.code,
        "score": reason.score,
        "good": reason.good,
        "text": reason_text(reason),
    }


def unknown_text(what: str) -> str:
    """A fact matching could not use (not recorded, or not shared with this reader)."""
    return {
        "age": _("year of birth"),
        "gender": _("gender"),
        "languages": _("preferred languages"),
        "preferences": _("preferences"),
        "place": _("a place to measure distance from"),
    }.get(what, what)
