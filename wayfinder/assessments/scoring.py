"""Pure functions over an instrument and a set of answers: visibility, validation, scores, needs.

``answers`` is ``{item id: value}``; a declined item ("prefer not to say") has the value
``DECLINED``, and an unanswered item is simply absent. Nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from wayfinder.assessments.instruments import Instrument, Item, ResponseType, ScoreRule
from wayfinder.core.service_categories import URGENCY_RANK


class _Declined:
    """The answer "prefer not to say": never equal to any value, never counted in a score."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self):
        return "DECLINED"


DECLINED = _Declined()


# --- conditions and visibility -----------------------------------------------------------------


def evaluate(cond: dict, answers: dict[str, Any]) -> bool:
    """Does the condition hold? A declined or missing answer matches nothing but answered:false."""
    if "all" in cond:
        return all(evaluate(c, answers) for c in cond["all"])
    if "any" in cond:
        return any(evaluate(c, answers) for c in cond["any"])
    value = answers.get(cond["item"])
    given = value is not None and value is not DECLINED
    if "answered" in cond:
        return given == cond["answered"]
    if not given:
        return False
    if "equals" in cond:
        return value == cond["equals"]
    if "not_equals" in cond:
        return value != cond["not_equals"]
    if "in" in cond:
        return value in cond["in"]
    if "not_in" in cond:
        return value not in cond["not_in"]
    if "includes" in cond:
        return cond["includes"] in value
    if "gte" in cond:
        return value >= cond["gte"]
    if "lte" in cond:
        return value <= cond["lte"]
    raise ValueError(f"unknown condition {cond!r}")  # the loader makes this unreachable


def visible_items(instrument: Instrument, answers: dict[str, Any]) -> set[str]:
    """Ids of the items that are shown, given these answers (hidden parents hide their children)."""
    shown: set[str] = set()
    for item in instrument.all_items():
        if item.show_if is None:
            shown.add(item.id)
            continue
        # An item only counts as answered for this purpose if it is itself shown.
        visible_answers = {k: v for k, v in answers.items() if k in shown}
        if evaluate(item.show_if, visible_answers):
            shown.add(item.id)
    return shown


# --- validating one answer ---------------------------------------------------------------------


class AnswerError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def clean_value(item: Item, raw: Any) -> Any:
    """Normalise one non-declined answer for ``item`` or raise AnswerError (code + message).

    Returns None for "no answer" (an empty string or empty list).
    """
    if raw is None or raw == "" or raw == []:
        return None
    t = item.type
    if t in (ResponseType.SINGLE_CHOICE, ResponseType.YES_NO):
        if not isinstance(raw, str) or item.option(raw) is None:
            raise AnswerError("invalid_choice", _("Choose one of the options."))
        return raw
    if t == ResponseType.MULTIPLE_CHOICE:
        values = [raw] if isinstance(raw, str) else raw
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise AnswerError("invalid_choice", _("Choose from the options."))
        if any(item.option(v) is None for v in values):
            raise AnswerError("invalid_choice", _("Choose from the options."))
        if len(set(values)) > 1 and any(item.option(v).exclusive for v in values):
            raise AnswerError(
                "exclusive_choice", _("That answer cannot be combined with the others you chose.")
            )
        order = [o.value for o in item.options]
        return sorted(set(values), key=order.index)
    if t in (ResponseType.SCALE, ResponseType.NUMBER):
        try:
            if isinstance(raw, bool):
                raise ValueError
            if isinstance(raw, float) and not raw.is_integer():
                raise ValueError
            number = int(raw) if not isinstance(raw, str) else int(raw.strip())
        except (TypeError, ValueError):
            raise AnswerError("not_a_number", _("Enter a whole number.")) from None
        if item.min is not None and number < item.min:
            raise AnswerError(
                "out_of_range", _("Enter a number of at least %(min)s.") % {"min": item.min}
            )
        if item.max is not None and number > item.max:
            raise AnswerError(
                "out_of_range", _("Enter a number no larger than %(max)s.") % {"max": item.max}
            )
        if t == ResponseType.SCALE and item.option(number) is None:
            raise AnswerError("invalid_choice", _("Choose one of the options."))
        return number
    if t == ResponseType.DATE:
        try:
            day = raw if isinstance(raw, date) else date.fromisoformat(str(raw).strip())
        except ValueError:
            raise AnswerError("invalid_date", _("Enter a date as YYYY-MM-DD.")) from None
        if day.year < 1900:
            raise AnswerError("invalid_date", _("Enter a date after 1900."))
        if day > date(timezone.localdate().year + 10, 12, 31):
            raise AnswerError("invalid_date", _("Enter a date within the next ten years."))
        return day.isoformat()
    if t == ResponseType.SHORT_TEXT:
        if not isinstance(raw, str):
            raise AnswerError("invalid_text", _("Enter text."))
        text = raw.strip()
        if len(text) > item.max_length:
            raise AnswerError(
                "too_long",
                _("Keep this to %(n)s characters or fewer.") % {"n": item.max_length},
            )
        return text or None
    raise AnswerError("invalid", _("This answer is not valid."))  # pragma: no cover


# --- scores ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreResult:
    id: str
    value: float | None  # None when too few items were answered
    answered: int  # items that counted
    declined: int  # "prefer not to say": excluded, counted here
    missing: int  # shown but not answered
    not_scored: int = 0  # answered with an option that carries no score ("does not apply")

    def band(self, rule: ScoreRule) -> dict | None:
        if self.value is None:
            return None
        return next((b for b in rule.bands if self.value <= b["max"] + 1e-9), None)


def compute_score(
    instrument: Instrument, rule: ScoreRule, answers: dict[str, Any], shown: set[str]
) -> ScoreResult:
    """One score. Declined and unanswered items are left out and counted separately."""
    numbers: list[float] = []
    declined = missing = not_scored = 0
    counted = 0
    for item_id in rule.items:
        if item_id not in shown:
            continue
        value = answers.get(item_id)
        if value is DECLINED:
            declined += 1
            continue
        if value is None:
            missing += 1
            continue
        item = instrument.item(item_id)
        if rule.method == "count":
            counted += 1
            hit = (
                any(v in rule.values for v in value)
                if isinstance(value, list)
                else value in rule.values
            )
            numbers.append(1.0 if hit else 0.0)
            continue
        number = item.numeric(value)
        if number is None:
            not_scored += 1
            continue
        if item_id in rule.reverse:
            number = item.min + item.max - number
        numbers.append(number)
        counted += 1
    if counted < rule.min_answered:
        result_value = None
    elif rule.method == "mean":
        result_value = round(sum(numbers) / len(numbers), 2)
    else:  # sum and count
        result_value = sum(numbers)
    return ScoreResult(rule.id, result_value, counted, declined, missing, not_scored)


def compute_scores(instrument: Instrument, answers: dict[str, Any]) -> list[ScoreResult]:
    shown = visible_items(instrument, answers)
    return [compute_score(instrument, rule, answers, shown) for rule in instrument.scores]


# --- needs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DerivedNeed:
    category: str
    urgency: str
    item_id: str


def derive_needs(instrument: Instrument, answers: dict[str, Any]) -> list[DerivedNeed]:
    """Needs the rules produce: one per service category, the most urgent rule winning.

    Ties go to the item that comes first in the instrument. Hidden, declined and unanswered
    items never produce a need. The result is in instrument order of the winning item.
    """
    shown = visible_items(instrument, answers)
    best: dict[str, tuple[int, int, DerivedNeed]] = {}
    for position, item in enumerate(instrument.all_items()):
        if item.id not in shown:
            continue
        value = answers.get(item.id)
        if value is None or value is DECLINED:
            continue
        for rule in item.needs:
            if not evaluate(rule.when, answers):
                continue
            rank = URGENCY_RANK[rule.urgency]
            current = best.get(rule.category)
            if current is None or (rank, position) < current[:2]:
                best[rule.category] = (
                    rank,
                    position,
                    DerivedNeed(rule.category, rule.urgency, item.id),
                )
    return [n for _r, _p, n in sorted(best.values(), key=lambda t: t[1])]


# --- safety triggers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FiredTrigger:
    item_id: str
    kind: str


def fired_triggers(instrument: Instrument, answers: dict[str, Any]) -> list[FiredTrigger]:
    """The safety triggers these answers fire, in the instrument's order. A declined or empty
    answer never fires; a multiple-choice answer fires when it includes a trigger value."""
    fired = []
    for item in instrument.safety_items():
        value = answers.get(item.id)
        if value is None or value is DECLINED:
            continue
        if item.safety_trigger.fires(value):
            fired.append(FiredTrigger(item.id, item.safety_trigger.kind))
    return fired
