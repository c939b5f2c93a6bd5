"""Instruments as data: load, validate and look up the versioned files in ``instruments/``.

A file is ``instruments/<id>/v<version>.yaml`` (or ``.json``). Every shipped version stays on disk
and loadable, and a session stores the instrument id and version it was started with, so a new
version never changes a past session. See ``docs/assessments.md`` for the file format.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any, NoReturn

import yaml
from django.conf import settings
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
)

from wayfinder.core.categories import Category
from wayfinder.core.languages import LANGUAGES
from wayfinder.core.service_categories import ServiceCategory, Urgency

INSTRUMENTS_DIR = Path(__file__).resolve().parent / "instruments"
REQUIRED_LANGUAGES = ("en", "es")
DECLINED = "declined"


class ResponseType:
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    SCALE = "scale"
    YES_NO = "yes_no"
    NUMBER = "number"
    DATE = "date"
    SHORT_TEXT = "short_text"

    ALL = (SINGLE_CHOICE, MULTIPLE_CHOICE, SCALE, YES_NO, NUMBER, DATE, SHORT_TEXT)
    CHOICE_LIKE = (SINGLE_CHOICE, MULTIPLE_CHOICE, SCALE, YES_NO)


class SafetyKind:
    """What a safety trigger says about the person, right now (``safety_trigger.kind``)."""

    SELF_HARM = "self_harm"
    DANGER_NOW = "danger_now"
    TRAFFICKER_NEARBY = "trafficker_nearby"

    ALL = (SELF_HARM, DANGER_NOW, TRAFFICKER_NEARBY)


class Kind:
    NEEDS = "needs"
    PROTECTIVE_FACTORS = "protective_factors"
    RESILIENCE = "resilience"
    SELF_SUFFICIENCY = "self_sufficiency"
    # A trainee's knowledge check (prevention): never offered for a person's assessment.
    KNOWLEDGE = "knowledge"
    # Anonymous feedback about a service (wayfinder.feedback): never started on a person.
    FEEDBACK = "feedback"

    ALL = (NEEDS, PROTECTIVE_FACTORS, RESILIENCE, SELF_SUFFICIENCY, KNOWLEDGE, FEEDBACK)
    FOR_PERSONS = (NEEDS, PROTECTIVE_FACTORS, RESILIENCE, SELF_SUFFICIENCY)


# Condition operators: what each one needs as its argument.
CONDITION_OPERATORS = (
    "equals",
    "not_equals",
    "in",
    "not_in",
    "includes",
    "gte",
    "lte",
    "answered",
)
SCORE_METHODS = ("mean", "sum", "count")
SDOH_CATEGORIES = (
    "sdoh-category-unspecified",
    "housing-instability",
    "homelessness",
    "financial-insecurity",
    "material-hardship",
    "educational-attainment",
    "employment-status",
    "stress",
    "social-connection",
    "language-access",
    "protective-factor",
)
_ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


class InstrumentError(ValueError):
    """A bad instrument file. The message names the file and the place of the problem."""


Text = dict[str, str]  # language code -> text


@dataclass(frozen=True)
class Option:
    value: Any  # str for choices, int for scale points
    label: Text
    score: float | None = None
    exclusive: bool = False  # multiple choice: cannot be combined ("none of these")


@dataclass(frozen=True)
class NeedRule:
    when: dict
    category: str
    urgency: str


@dataclass(frozen=True)
class SafetyTrigger:
    """Answers to an item that disclose danger: they raise a safety flag at once."""

    kind: str
    values: tuple  # option values that fire it

    def fires(self, value) -> bool:
        if isinstance(value, list):
            return any(v in self.values for v in value)
        return value in self.values


# Person-record fields an item may declare it asks about (``record:``): at hand-back the answer
# is offered to staff as "update the record?". Choice items must use the field's own codes as
# option values (None: free text, or, for a language, any code of ``core.languages``).
RECORD_FIELDS: dict[str, tuple[str, ...] | None] = {
    "preferred_language": None,  # ISO 639-3; goes first in the person's ranked languages
    "interpreter_needed": ("yes", "no"),
    "staff_gender_preference": ("none", "women", "men"),
    "faith_preference": ("none", "faith_based", "secular"),
    "safe_contact_method": ("do_not_contact", "phone", "text", "email", "through_agency"),
    "cultural_considerations": None,
}


@dataclass(frozen=True)
class SameAs:
    """Another instrument asks the same thing: its answer in the same visit is this item's
    default, translated by ``map`` ({their option value: ours})."""

    instrument: str
    item: str
    map: dict


@dataclass(frozen=True)
class Item:
    id: str
    type: str
    text: Text
    help: Text | None = None
    options: tuple[Option, ...] = ()
    min: int | None = None
    max: int | None = None
    max_length: int = 500
    show_if: dict | None = None
    needs: tuple[NeedRule, ...] = ()
    category: str = ""  # data category (consent), "" = the section's
    safety_trigger: SafetyTrigger | None = None
    record: str = ""  # a field of RECORD_FIELDS this answer belongs in ("" = none)
    same_as: SameAs | None = None

    @property
    def is_choice(self) -> bool:
        return self.type in ResponseType.CHOICE_LIKE

    @property
    def is_free_text(self) -> bool:
        return self.type == ResponseType.SHORT_TEXT

    def option(self, value) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    def numeric(self, value) -> float | None:
        """The number this answer counts as in a score, or None (not scorable / not applicable)."""
        if self.type == ResponseType.NUMBER:
            return float(value)
        if self.type in (ResponseType.SINGLE_CHOICE, ResponseType.SCALE, ResponseType.YES_NO):
            opt = self.option(value)
            if opt is None:
                return None
            if opt.score is not None:
                return float(opt.score)
            if self.type == ResponseType.SCALE:
                return float(value)
        return None

    @property
    def is_scorable(self) -> bool:
        if self.type in (ResponseType.NUMBER, ResponseType.SCALE):
            return True
        return any(o.score is not None for o in self.options)


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    items: tuple[Item, ...]
    intro: Text | None = None
    domain: str = ""
    category: str = ""  # data category of every item in it ("" = just "assessments")


@dataclass(frozen=True)
class ScoreRule:
    id: str
    label: Text
    method: str
    items: tuple[str, ...]
    reverse: tuple[str, ...] = ()
    values: tuple = ()  # for "count"
    min_answered: int = 1
    range: tuple[float, float] | None = None
    bands: tuple[dict, ...] = ()
    chart: bool = False
    axis: tuple[tuple[float, Text], ...] = ()  # labelled ticks for the chart


@dataclass(frozen=True)
class Instrument:
    id: str
    version: int
    kind: str
    languages: tuple[str, ...]
    title: Text
    sections: tuple[Section, ...]
    scores: tuple[ScoreRule, ...] = ()
    description: Text | None = None
    citation: str = ""
    licence: str = ""
    reassess_after_days: int | None = None
    sdoh_category: str = "sdoh-category-unspecified"
    source: str = ""  # file name, for messages
    items_by_id: dict[str, Item] = field(default_factory=dict, compare=False, repr=False)
    section_of: dict[str, Section] = field(default_factory=dict, compare=False, repr=False)

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    def item(self, item_id: str) -> Item:
        return self.items_by_id[item_id]

    def all_items(self) -> list[Item]:
        return [i for s in self.sections for i in s.items]

    def item_category(self, item_id: str) -> str:
        """The data category an item belongs to, beyond "assessments" ("" when none)."""
        item = self.items_by_id[item_id]
        return item.category or self.section_of[item_id].category

    def tr(self, text: Text | None, language: str) -> str:
        return translate(text, language)

    def safety_items(self) -> list[Item]:
        return [i for i in self.all_items() if i.safety_trigger is not None]

    def score_rule(self, score_id: str) -> ScoreRule | None:
        return next((s for s in self.scores if s.id == score_id), None)


def translate(text: Text | None, language: str) -> str:
    if not text:
        return ""
    return text.get(language) or text.get("en") or next(iter(text.values()))


# --- the file's structure (pydantic) ----------------------------------------------------------
#
# Types, required and unknown keys, enumerations and ranges are declared here; ``parse_instrument``
# turns pydantic's errors into "file: place: message" lines. What needs more than one field (the
# translations the top-level ``languages`` ask for, references between items, need rules, scores)
# is checked by hand afterwards.


def _one_of(values, noun: str | None = None) -> AfterValidator:
    def check(value):
        if value not in values:
            what = noun or f"one of {', '.join(values)}"
            raise ValueError(f"{value!r} is not {what}")
        return value

    return AfterValidator(check)


def _text_mapping(value):
    if value is not None and (isinstance(value, str) or not isinstance(value, dict)):
        raise ValueError("must be a mapping of language to text")
    return value


def _not_declined(value: str) -> str:
    if value == DECLINED:
        raise ValueError("'declined' is reserved for 'prefer not to say'")
    return value


def _includes_required_languages(value: list[str]) -> list[str]:
    missing = [lang for lang in REQUIRED_LANGUAGES if lang not in value]
    if missing:
        raise ValueError(f"must include {', '.join(missing)}")
    return value


def _number(value):
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ValueError("must be a number")
    return value


def _consecutive(anchors: dict[int, Any]) -> dict[int, Any]:
    points = sorted(anchors)
    if points != list(range(points[0], points[-1] + 1)):
        raise ValueError("points must be consecutive whole numbers")
    return anchors


def _low_below_high(value: list) -> list:
    if not value[0] < value[1]:
        raise ValueError("must be [low, high]")
    return value


Ident = Annotated[StrictStr, Field(pattern=_ID_RE.pattern)]
TextSpec = Annotated[dict[StrictStr, Any], BeforeValidator(_text_mapping)]
Number = Annotated[Any, AfterValidator(_number)]
DataCategory = Annotated[
    StrictStr, _one_of(("", *Category.values), f"a data category ({', '.join(Category.values)})")
]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class OptionSpec(_Spec):
    value: Annotated[Ident, AfterValidator(_not_declined)]
    label: TextSpec | None = None  # yes_no options have a default label
    score: Number | None = None
    exclusive: StrictBool = False


class NeedSpec(_Spec):
    when: Any  # a condition: checked against the items once all are known
    category: Annotated[StrictStr, _one_of(ServiceCategory.values, "a service category")]
    urgency: Annotated[StrictStr, _one_of(Urgency.values, "an urgency")]


class SafetyTriggerSpec(_Spec):
    kind: Annotated[StrictStr, _one_of(SafetyKind.ALL, "a safety trigger kind")]
    values: Annotated[list[StrictStr], Field(min_length=1)]


class SameAsSpec(_Spec):
    instrument: Ident
    item: Ident
    map: Annotated[dict[StrictStr, StrictStr], Field(min_length=1)]


class ItemSpec(_Spec):
    id: Ident
    type: Annotated[StrictStr, _one_of(ResponseType.ALL)]
    text: TextSpec
    help: TextSpec | None = None
    options: list[OptionSpec] | None = None
    scale: StrictStr | None = None
    min: StrictInt | None = None
    max: StrictInt | None = None
    max_length: Annotated[StrictInt, Field(ge=1, le=2000)] = 500
    show_if: Any = None  # a condition, as for ``NeedSpec.when``
    needs: list[NeedSpec] | None = None
    category: DataCategory | None = None
    safety_trigger: SafetyTriggerSpec | None = None
    record: Annotated[StrictStr, _one_of(tuple(RECORD_FIELDS), "a record field")] | None = None
    same_as: SameAsSpec | None = None


class SectionSpec(_Spec):
    id: Ident
    title: TextSpec
    intro: TextSpec | None = None
    domain: StrictStr = ""
    category: DataCategory | None = None
    items: Annotated[list[ItemSpec], Field(min_length=1)]


class BandSpec(_Spec):
    max: Number
    label: TextSpec


class ScoreSpec(_Spec):
    id: Ident
    label: TextSpec
    method: Annotated[StrictStr, _one_of(SCORE_METHODS)]
    items: Annotated[list[StrictStr], Field(min_length=1)]
    reverse: list[StrictStr] | None = None
    values: list[Any] | None = None
    min_answered: StrictInt = 1
    range: (
        Annotated[list[Number], Field(min_length=2, max_length=2), AfterValidator(_low_below_high)]
        | None
    ) = None
    bands: list[BandSpec] | None = None
    chart: StrictBool = False
    axis: dict[float, TextSpec] | None = None


class FhirSpec(_Spec):
    sdoh_category: Annotated[
        StrictStr, _one_of(SDOH_CATEGORIES, "an SDOHCC category we declare")
    ] = "sdoh-category-unspecified"


Scale = Annotated[dict[StrictInt, TextSpec], Field(min_length=1), AfterValidator(_consecutive)]


class InstrumentSpec(_Spec):
    id: Ident
    version: Annotated[StrictInt, Field(ge=1)]
    kind: Annotated[StrictStr, _one_of(Kind.ALL)]
    languages: Annotated[list[StrictStr], AfterValidator(_includes_required_languages)]
    title: TextSpec
    description: TextSpec | None = None
    citation: StrictStr = ""
    licence: StrictStr = ""
    reassess_after_days: Annotated[StrictInt, Field(ge=1)] | None = None
    fhir: FhirSpec | None = None
    scales: dict[StrictStr, Scale] | None = None
    sections: Annotated[list[SectionSpec], Field(min_length=1)]
    scores: list[ScoreSpec] | None = None


_NOUNS = {"sections": "section", "items": "item", "scores": "score"}


def _place(data, loc: tuple) -> str:
    """Where an error is, as the messages name it: ``item 'home'.needs[0].category``.

    A section, item or score with a usable id is named by it (item and score ids are unique in
    the file, so an item's place does not repeat its section); otherwise by its index.
    """
    place, node, i = "", data, 0
    while i < len(loc):
        key = loc[i]
        if key in _NOUNS and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            child = _child(_child(node, key), loc[i + 1])
            own_id = child.get("id") if isinstance(child, dict) else None
            if isinstance(own_id, str) and _ID_RE.match(own_id) and loc[i + 2 :] != ("id",):
                place = f"{_NOUNS[key]} '{own_id}'"
            else:
                place = f"{place}.{key}[{loc[i + 1]}]" if place else f"{key}[{loc[i + 1]}]"
            node, i = child, i + 2
            continue
        if key == "[key]":
            i += 1
            continue
        place = f"{place}[{key}]" if isinstance(key, int) else f"{place}.{key}" if place else key
        node, i = _child(node, key), i + 1
    return place


def _child(node, key):
    try:
        return node[key]
    except (KeyError, IndexError, TypeError):
        return None


def _structure_errors(data, error: ValidationError) -> list[tuple[str, str]]:
    """pydantic's errors as (place, message), unknown keys of one place gathered in one message."""
    found: list[tuple[str, str]] = []
    unknown: dict[str, list[str]] = {}
    for e in error.errors(include_url=False):
        loc, kind, ctx = tuple(e["loc"]), e["type"], e.get("ctx") or {}
        if kind == "extra_forbidden":
            parent = _place(data, loc[:-1]) or "top level"
            if parent not in unknown:
                unknown[parent] = []
                found.append((parent, ""))
            unknown[parent].append(str(loc[-1]))
            continue
        if kind == "missing":
            found.append((_place(data, loc[:-1]) or "top level", f"'{loc[-1]}' is required"))
            continue
        if kind == "model_type" and not loc:
            found.append(("file", "must hold a mapping at the top level"))
            continue
        found.append(
            (_place(data, loc) or "top level", _MESSAGES.get(kind, _pydantic_message)(e, ctx))
        )
    return [
        (place, message or f"unknown key(s) {', '.join(sorted(unknown[place]))}")
        for place, message in found
    ]


def _pydantic_message(e, ctx) -> str:
    return e["msg"]


_MESSAGES = {
    "value_error": lambda e, ctx: str(ctx["error"]),
    "int_type": lambda e, ctx: "must be a whole number",
    "bool_type": lambda e, ctx: "must be true or false",
    "string_type": lambda e, ctx: "must be text",
    "string_pattern_mismatch": lambda e, ctx: (
        f"id {e['input']!r} must be lower_snake_case (a-z, 0-9, _)"
    ),
    "list_type": lambda e, ctx: "must be a list",
    "dict_type": lambda e, ctx: "must be a mapping",
    "model_type": lambda e, ctx: "must be a mapping",
    "too_short": lambda e, ctx: (
        "must not be empty" if ctx["min_length"] == 1 else f"needs {ctx['min_length']} entries"
    ),
    "too_long": lambda e, ctx: f"takes at most {ctx['max_length']} entries",
    "greater_than_equal": lambda e, ctx: f"must be at least {ctx['ge']}",
    "less_than_equal": lambda e, ctx: f"must be at most {ctx['le']}",
    "float_type": lambda e, ctx: "must be a number",
    "float_parsing": lambda e, ctx: "must be a number",
}


# --- parsing: the checks across fields and items ---------------------------------------------


class _Parser:
    def __init__(self, source: str):
        self.source = source

    def fail(self, where: str, message: str) -> NoReturn:
        raise InstrumentError(f"{self.source}: {where}: {message}")

    def optional_text(self, value, where: str, languages) -> Text | None:
        return None if value is None else self.text(value, where, languages)

    def text(self, value, where: str, languages) -> Text:
        if isinstance(value, str) or not isinstance(value, dict):
            self.fail(where, f"must be a mapping of language to text ({', '.join(languages)})")
        missing = [lang for lang in languages if not str(value.get(lang) or "").strip()]
        if missing:
            self.fail(where, f"missing translation for {', '.join(missing)}")
        extra = sorted(set(value) - set(languages))
        if extra:
            self.fail(where, f"text in undeclared language(s) {', '.join(extra)}")
        return {lang: str(value[lang]).strip() for lang in languages}


def parse_instrument(data: dict, source: str = "<instrument>") -> Instrument:
    """Validate a loaded YAML/JSON mapping and build the Instrument, or raise InstrumentError.

    The structure is checked first, all at once (every problem is listed, one per line); then the
    checks across fields and items, which stop at the first problem.
    """
    try:
        spec = InstrumentSpec.model_validate(data)
    except ValidationError as exc:
        lines = [f"{source}: {place}: {message}" for place, message in _structure_errors(data, exc)]
        raise InstrumentError("\n".join(lines)) from None
    p = _Parser(source)
    languages = tuple(spec.languages)
    title = p.text(spec.title, "title", languages)
    description = p.optional_text(spec.description, "description", languages)
    fhir = spec.fhir or FhirSpec()
    scales = _parse_scales(p, spec.scales or {}, languages)

    sections: list[Section] = []
    seen_sections: set[str] = set()
    items_by_id: dict[str, Item] = {}
    section_of: dict[str, Section] = {}
    raw_items: list[tuple[Item, str]] = []
    for raw in spec.sections:
        where = f"section '{raw.id}'"
        if raw.id in seen_sections:
            p.fail(where, f"duplicate section id '{raw.id}'")
        seen_sections.add(raw.id)
        items = []
        for raw_item in raw.items:
            item = _parse_item(p, raw_item, languages, scales)
            if item.id in items_by_id:
                p.fail(f"item '{item.id}'", f"duplicate item id '{item.id}'")
            items_by_id[item.id] = item
            items.append(item)
            raw_items.append((item, f"item '{item.id}'"))
        section = Section(
            id=raw.id,
            title=p.text(raw.title, f"{where}.title", languages),
            intro=p.optional_text(raw.intro, f"{where}.intro", languages),
            domain=raw.domain,
            category=raw.category or "",
            items=tuple(items),
        )
        sections.append(section)
        for item in items:
            section_of[item.id] = section

    # Conditions may point at any item of the instrument, so they are checked once all are known.
    order = {item_id: n for n, item_id in enumerate(items_by_id)}
    for item, where in raw_items:
        if item.show_if is not None:
            _check_condition(p, item.show_if, f"{where}.show_if", items_by_id, default=None)
            for ref in condition_items(item.show_if):
                if ref == item.id:
                    p.fail(f"{where}.show_if", "an item cannot depend on itself")
                if order[ref] > order[item.id]:
                    p.fail(f"{where}.show_if", f"refers to '{ref}', which comes later")
        for n, rule in enumerate(item.needs):
            _check_condition(p, rule.when, f"{where}.needs[{n}].when", items_by_id, default=item)

    scores = _parse_scores(p, spec.scores or [], languages, items_by_id)
    return Instrument(
        id=spec.id,
        version=spec.version,
        kind=spec.kind,
        languages=languages,
        title=title,
        description=description,
        citation=spec.citation.strip(),
        licence=spec.licence.strip(),
        reassess_after_days=spec.reassess_after_days,
        sdoh_category=fhir.sdoh_category,
        sections=tuple(sections),
        scores=tuple(scores),
        source=source,
        items_by_id=items_by_id,
        section_of=section_of,
    )


def _parse_scales(p: _Parser, raw: dict, languages) -> dict[str, tuple[Option, ...]]:
    return {
        name: tuple(
            Option(point, p.text(label, f"scales.{name}.{point}", languages))
            for point, label in sorted(anchors.items())
        )
        for name, anchors in raw.items()
    }


def _parse_item(p: _Parser, raw: ItemSpec, languages, scales) -> Item:
    where = f"item '{raw.id}'"
    rtype = raw.type
    options: tuple[Option, ...] = ()
    lo = hi = None
    if rtype in (ResponseType.SINGLE_CHOICE, ResponseType.MULTIPLE_CHOICE, ResponseType.YES_NO):
        raw_options = raw.options
        if rtype == ResponseType.YES_NO and raw_options is None:
            raw_options = [
                OptionSpec(value="yes", label=_only(_YES, languages)),
                OptionSpec(value="no", label=_only(_NO, languages)),
            ]
        if raw_options is None or len(raw_options) < 2:
            p.fail(f"{where}.options", "needs at least two options")
        seen = set()
        parsed = []
        for n, o in enumerate(raw_options):
            if o.value in seen:
                p.fail(f"{where}.options", f"duplicate option value '{o.value}'")
            seen.add(o.value)
            if o.exclusive and rtype != ResponseType.MULTIPLE_CHOICE:
                p.fail(f"{where}.options[{n}].exclusive", "is true or absent, on multiple_choice")
            label = o.label
            if rtype == ResponseType.YES_NO and label is None:
                label = _only(_YES if o.value == "yes" else _NO, languages)
            parsed.append(
                Option(
                    o.value,
                    p.text(label, f"{where}.options[{n}].label", languages),
                    o.score,
                    o.exclusive,
                )
            )
        if rtype == ResponseType.YES_NO and seen != {"yes", "no"}:
            p.fail(f"{where}.options", "a yes_no item has exactly the options yes and no")
        options = tuple(parsed)
    elif rtype == ResponseType.SCALE:
        if raw.scale not in scales:
            p.fail(f"{where}.scale", f"names an undeclared scale {raw.scale!r}")
        options = scales[raw.scale]
        lo, hi = options[0].value, options[-1].value
    elif rtype == ResponseType.NUMBER:
        lo, hi = raw.min, raw.max
        if lo is not None and hi is not None and lo > hi:
            p.fail(where, "min is greater than max")
    trigger = None
    if raw.safety_trigger is not None:
        t = raw.safety_trigger
        if rtype not in ResponseType.CHOICE_LIKE or rtype == ResponseType.SCALE:
            p.fail(
                f"{where}.safety_trigger", f"only choice and yes_no items can trigger, not {rtype}"
            )
        known = {o.value for o in options}
        bad = [v for v in t.values if v not in known]
        if bad:
            p.fail(f"{where}.safety_trigger.values", f"'{raw.id}' has no option {bad[0]!r}")
        trigger = SafetyTrigger(t.kind, tuple(t.values))
    _check_record(p, raw, options, where)
    same_as = None
    if raw.same_as is not None:
        known = {o.value for o in options}
        if rtype not in (ResponseType.SINGLE_CHOICE, ResponseType.YES_NO):
            p.fail(f"{where}.same_as", "only single_choice and yes_no items take a default")
        bad = [v for v in raw.same_as.map.values() if v not in known]
        if bad:
            p.fail(f"{where}.same_as.map", f"'{raw.id}' has no option {bad[0]!r}")
        same_as = SameAs(raw.same_as.instrument, raw.same_as.item, dict(raw.same_as.map))
    return Item(
        id=raw.id,
        type=rtype,
        text=p.text(raw.text, f"{where}.text", languages),
        help=p.optional_text(raw.help, f"{where}.help", languages),
        options=options,
        min=lo,
        max=hi,
        max_length=raw.max_length,
        show_if=raw.show_if,
        needs=tuple(NeedRule(r.when, r.category, r.urgency) for r in raw.needs or ()),
        category=raw.category or "",
        safety_trigger=trigger,
        record=raw.record or "",
        same_as=same_as,
    )


def _check_record(p: _Parser, raw: ItemSpec, options, where: str) -> None:
    if not raw.record:
        return
    allowed = RECORD_FIELDS[raw.record]
    if raw.record == "cultural_considerations":
        if raw.type != ResponseType.SHORT_TEXT:
            p.fail(f"{where}.record", "cultural_considerations is a short_text item")
        return
    if raw.type not in (ResponseType.SINGLE_CHOICE, ResponseType.YES_NO):
        p.fail(f"{where}.record", f"{raw.record} needs a single_choice or yes_no item")
    values = [o.value for o in options]
    if allowed is None:
        bad = [v for v in values if v not in LANGUAGES and v != "other"]
    else:
        bad = [v for v in values if v not in allowed and v != "other"]
    if bad:
        p.fail(f"{where}.record", f"option {bad[0]!r} is not a {raw.record} code")


# The default labels of a yes_no item, in every interface language (an instrument uses those
# it declares).
_YES = {
    "en": "Yes",
    "es": "Sí",
    "zh-hans": "是",
    "zh-hant": "是",
    "vi": "Có",
    "tl": "Oo",
    "ko": "예",
    "ht": "Wi",
    "ru": "Да",
    "uk": "Так",
    "ar": "نعم",
}
_NO = {
    "en": "No",
    "es": "No",
    "zh-hans": "否",
    "zh-hant": "否",
    "vi": "Không",
    "tl": "Hindi",
    "ko": "아니요",
    "ht": "Non",
    "ru": "Нет",
    "uk": "Ні",  # noqa: RUF001  (Ukrainian, in Cyrillic)
    "ar": "لا",
}


def _only(text: Text, languages) -> Text:
    return {lang: value for lang, value in text.items() if lang in languages}


def condition_items(cond: dict) -> set[str]:
    """Item ids a condition reads (after validation)."""
    if "all" in cond:
        return set().union(*(condition_items(c) for c in cond["all"]))
    if "any" in cond:
        return set().union(*(condition_items(c) for c in cond["any"]))
    return {cond["item"]} if "item" in cond else set()


def _check_condition(p: _Parser, cond, where: str, items: dict, default: Item | None) -> None:
    if not isinstance(cond, dict) or not cond:
        p.fail(where, "must be a mapping such as {item: x, equals: y}")
    for combo in ("all", "any"):
        if combo in cond:
            if set(cond) != {combo} or not isinstance(cond[combo], list) or not cond[combo]:
                p.fail(where, f"'{combo}' takes a non-empty list of conditions and nothing else")
            for n, sub in enumerate(cond[combo]):
                _check_condition(p, sub, f"{where}.{combo}[{n}]", items, default)
            return
    ops = [k for k in cond if k != "item"]
    if len(ops) != 1 or ops[0] not in CONDITION_OPERATORS:
        p.fail(
            where,
            f"needs exactly one operator out of {', '.join(CONDITION_OPERATORS)} "
            f"(found {', '.join(map(str, ops)) or 'none'})",
        )
    op = ops[0]
    if "item" not in cond:
        if default is None:
            p.fail(where, "must name the 'item' it depends on")
        cond["item"] = default.id
    ref = cond["item"]
    if ref not in items:
        p.fail(where, f"refers to unknown item '{ref}'")
    target = items[ref]
    arg = cond[op]
    if op == "answered":
        if not isinstance(arg, bool):
            p.fail(where, "'answered' takes true or false")
        return
    if op in ("gte", "lte"):
        if target.type not in (ResponseType.SCALE, ResponseType.NUMBER):
            p.fail(where, f"'{op}' needs a scale or number item, and '{ref}' is {target.type}")
        if not isinstance(arg, int | float) or isinstance(arg, bool):
            p.fail(where, f"'{op}' takes a number")
        return
    if op == "includes":
        if target.type != ResponseType.MULTIPLE_CHOICE:
            p.fail(where, f"'includes' needs a multiple_choice item, and '{ref}' is {target.type}")
        values = [arg]
    elif op in ("in", "not_in"):
        if not isinstance(arg, list) or not arg:
            p.fail(where, f"'{op}' takes a non-empty list")
        values = arg
    else:
        values = [arg]
    if target.type == ResponseType.MULTIPLE_CHOICE and op != "includes":
        p.fail(where, f"use 'includes' for the multiple_choice item '{ref}'")
    if target.is_choice:
        known = {o.value for o in target.options}
        bad = [v for v in values if v not in known]
        if bad:
            p.fail(where, f"'{ref}' has no option {', '.join(map(repr, bad))}")
    elif target.type in (ResponseType.DATE, ResponseType.SHORT_TEXT):
        p.fail(where, f"only 'answered' can test the {target.type} item '{ref}'")


def _parse_scores(p: _Parser, raw: list[ScoreSpec], languages, items: dict) -> list[ScoreRule]:
    rules, seen = [], set()
    for r in raw:
        where = f"score '{r.id}'"
        if r.id in seen:
            p.fail(where, f"duplicate score id '{r.id}'")
        seen.add(r.id)
        ids = r.items
        for i in ids:
            if i not in items:
                p.fail(f"{where}.items", f"unknown item '{i}'")
            if r.method != "count" and not items[i].is_scorable:
                p.fail(f"{where}.items", f"item '{i}' has no numeric value to score")
        reverse = r.reverse or []
        for i in reverse:
            if i not in ids:
                p.fail(f"{where}.reverse", f"'{i}' is not one of the score's items")
            if items[i].type != ResponseType.SCALE:
                p.fail(f"{where}.reverse", f"only scale items can be reversed, not '{i}'")
        values = r.values or []
        if r.method == "count":
            if not values:
                p.fail(f"{where}.values", "a count needs the answer values it counts")
            for i in ids:
                known = {o.value for o in items[i].options}
                bad = [v for v in values if v not in known]
                if bad:
                    p.fail(f"{where}.values", f"item '{i}' has no option {bad[0]!r}")
        if not 1 <= r.min_answered <= len(ids):
            p.fail(f"{where}.min_answered", f"must be between 1 and {len(ids)}")
        bands = tuple(
            {"max": band.max, "label": p.text(band.label, f"{where}.bands[{n}]", languages)}
            for n, band in enumerate(r.bands or [])
        )
        axis = tuple(
            (float(k), p.text(v, f"{where}.axis.{k}", languages)) for k, v in (r.axis or {}).items()
        )
        if r.chart and r.range is None:
            p.fail(f"{where}.range", "a charted score needs a range")
        rules.append(
            ScoreRule(
                id=r.id,
                label=p.text(r.label, f"{where}.label", languages),
                method=r.method,
                items=tuple(ids),
                reverse=tuple(reverse),
                values=tuple(values),
                min_answered=r.min_answered,
                range=tuple(r.range) if r.range else None,
                bands=bands,
                chart=r.chart,
                axis=axis,
            )
        )
    return rules


# --- the registry ------------------------------------------------------------------------------


def translations_path(path: Path) -> Path:
    """Where a version's translations live: ``v1.yaml`` -> ``v1.i18n.yaml`` beside it."""
    return path.with_name(f"{path.stem}.i18n.yaml")


def _text_mappings(node, languages: set[str]):
    """Every language -> text mapping in a raw instrument (YAML anchors may repeat one)."""
    if isinstance(node, dict):
        if isinstance(node.get("en"), str) and set(node) <= languages:
            yield node
            return
        for value in node.values():
            yield from _text_mappings(value, languages)
    elif isinstance(node, list):
        for value in node:
            yield from _text_mappings(value, languages)


def merge_translations(data: dict, path: Path) -> dict:
    """Lay the translations of ``v<N>.i18n.yaml`` over a raw instrument.

    That file holds, under ``texts``, each English source text with its translations, and under
    ``languages`` each language it adds with its review status (draft / reviewed, by whom, when).
    A language it lists must translate every text of the version: a survivor never meets a
    half-translated questionnaire. The source file stays as it was shipped (and hash-locked);
    the translations file is locked in ``shipped.json`` too once it ships.
    """
    tpath = translations_path(path)
    if not tpath.exists() or not isinstance(data, dict):
        return data
    name = f"{tpath.parent.name}/{tpath.name}"
    try:
        extra = yaml.safe_load(tpath.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InstrumentError(f"{name}: cannot be read: {exc}") from None
    status = extra.get("languages") or {}
    texts = extra.get("texts") or {}
    if not isinstance(status, dict) or not isinstance(texts, dict):
        raise InstrumentError(f"{name}: needs 'languages' and 'texts' mappings")
    declared = [str(x) for x in data.get("languages") or []]
    mappings = list(_text_mappings(data, set(declared)))
    for lang in status:
        if lang in declared:
            raise InstrumentError(f"{name}: {lang} is already in the source file")
        for mapping in mappings:
            source = mapping["en"].strip()
            translated = str((texts.get(source) or {}).get(lang) or "").strip()
            if not translated:
                raise InstrumentError(f"{name}: {lang}: no translation of {source!r}")
            mapping[lang] = translated
    data["languages"] = declared + [str(lang) for lang in status]
    return data


def translation_status(instrument: Instrument) -> dict[str, dict]:
    """The ``languages`` block of a version's translations file: {lang: {status, ...}}."""
    path = INSTRUMENTS_DIR / instrument.id / f"v{instrument.version}.i18n.yaml"
    if not path.exists():
        return {}
    return dict((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("languages") or {})


def load_file(path: Path) -> Instrument:
    """Read and validate one instrument file (with its translations file, if any)."""
    name = f"{path.parent.name}/{path.name}"
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise InstrumentError(f"{name}: cannot be read: {exc}") from None
    data = merge_translations(data, path)
    inst = parse_instrument(data, name)
    expected = f"v{inst.version}"
    if path.parent.name != inst.id or path.stem != expected:
        raise InstrumentError(
            f"{name}: must be stored as {inst.id}/{expected}{path.suffix} (id and version)"
        )
    return inst


@cache
def registry() -> dict[tuple[str, int], Instrument]:
    """Every shipped version of every instrument, keyed by (id, version). Read once per process."""
    found: dict[tuple[str, int], Instrument] = {}
    for path in sorted(INSTRUMENTS_DIR.glob("*/v*.*")):
        if path.suffix not in (".yaml", ".yml", ".json") or "." in path.stem:
            continue  # v1.i18n.yaml: the translations of v1.yaml, read with it
        inst = load_file(path)
        if (inst.id, inst.version) in found:
            raise InstrumentError(f"{path.name}: {inst.key} is defined twice")
        found[(inst.id, inst.version)] = inst
    return found


def language_offers() -> dict[str, list[str]]:
    """{language: the instrument versions that have it}."""
    offers: dict[str, list[str]] = {}
    for inst in registry().values():
        for lang in inst.languages:
            offers.setdefault(lang, []).append(inst.key)
    return offers


def texts_in(language: str) -> list[str]:
    """Every text of every shipped instrument in ``language`` (for the font subsets)."""
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if node and all(isinstance(v, str) for v in node.values()):
                if language in node:
                    found.append(node[language])
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list | tuple):
            for value in node:
                walk(value)
        elif hasattr(node, "__dataclass_fields__"):
            for name in node.__dataclass_fields__:
                walk(getattr(node, name))

    for inst in registry().values():
        if language in inst.languages:
            walk(inst)
    return found


def get_instrument(instrument_id: str, version: int | None = None) -> Instrument:
    """One version (default: the latest). KeyError if there is no such instrument."""
    reg = registry()
    if version is not None:
        return reg[(instrument_id, version)]
    versions = [v for (i, v) in reg if i == instrument_id]
    if not versions:
        raise KeyError(instrument_id)
    return reg[(instrument_id, max(versions))]


def disabled_ids() -> set[str]:
    raw = getattr(settings, "WAYFINDER_ASSESSMENTS_DISABLED", "") or ""
    return {x.strip() for x in raw.split(",") if x.strip()}


def available_instruments() -> list[Instrument]:
    """The latest version of every instrument this installation offers for new sessions."""
    off = disabled_ids()
    latest: dict[str, Instrument] = {}
    for (inst_id, _v), inst in sorted(registry().items()):
        if inst_id not in off and inst.kind in Kind.FOR_PERSONS:
            latest[inst_id] = inst
    order = {k: n for n, k in enumerate(Kind.ALL)}
    return sorted(latest.values(), key=lambda i: (order[i.kind], i.id))
