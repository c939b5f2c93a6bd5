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
from typing import Any

import yaml
from django.conf import settings

from wayfinder.core.categories import Category
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


class Kind:
    NEEDS = "needs"
    PROTECTIVE_FACTORS = "protective_factors"
    RESILIENCE = "resilience"
    SELF_SUFFICIENCY = "self_sufficiency"

    ALL = (NEEDS, PROTECTIVE_FACTORS, RESILIENCE, SELF_SUFFICIENCY)


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
_TOP_KEYS = {
    "id",
    "version",
    "kind",
    "languages",
    "title",
    "description",
    "citation",
    "licence",
    "reassess_after_days",
    "fhir",
    "scales",
    "sections",
    "scores",
}
_SECTION_KEYS = {"id", "title", "intro", "domain", "category", "items"}
_ITEM_KEYS = {
    "id",
    "type",
    "text",
    "help",
    "options",
    "scale",
    "min",
    "max",
    "max_length",
    "show_if",
    "needs",
    "category",
}


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

    def score_rule(self, score_id: str) -> ScoreRule | None:
        return next((s for s in self.scores if s.id == score_id), None)


def translate(text: Text | None, language: str) -> str:
    if not text:
        return ""
    return text.get(language) or text.get("en") or next(iter(text.values()))


# --- parsing and validation -------------------------------------------------------------------


class _Parser:
    def __init__(self, source: str):
        self.source = source

    def fail(self, where: str, message: str):
        raise InstrumentError(f"{self.source}: {where}: {message}")

    def text(self, value, where: str, languages, *, optional: bool = False) -> Text | None:
        if value is None and optional:
            return None
        if isinstance(value, str) or not isinstance(value, dict):
            self.fail(where, f"must be a mapping of language to text ({', '.join(languages)})")
        missing = [lang for lang in languages if not str(value.get(lang) or "").strip()]
        if missing:
            self.fail(where, f"missing translation for {', '.join(missing)}")
        extra = sorted(set(value) - set(languages))
        if extra:
            self.fail(where, f"text in undeclared language(s) {', '.join(extra)}")
        return {lang: str(value[lang]).strip() for lang in languages}

    def ident(self, value, where: str) -> str:
        if not isinstance(value, str) or not _ID_RE.match(value):
            self.fail(where, f"id {value!r} must be lower_snake_case (a-z, 0-9, _)")
        return value

    def keys(self, data: dict, allowed: set, where: str) -> None:
        unknown = sorted(set(data) - allowed)
        if unknown:
            self.fail(where, f"unknown key(s) {', '.join(unknown)}")


def parse_instrument(data: dict, source: str = "<instrument>") -> Instrument:
    """Validate a loaded YAML/JSON mapping and build the Instrument, or raise InstrumentError."""
    p = _Parser(source)
    if not isinstance(data, dict):
        p.fail("file", "must hold a mapping at the top level")
    p.keys(data, _TOP_KEYS, "top level")
    for key in ("id", "version", "kind", "languages", "title", "sections"):
        if key not in data:
            p.fail("top level", f"'{key}' is required")
    inst_id = p.ident(data["id"], "id")
    version = data["version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        p.fail("version", "must be a whole number of at least 1")
    if data["kind"] not in Kind.ALL:
        p.fail("kind", f"{data['kind']!r} is not one of {', '.join(Kind.ALL)}")
    languages = data["languages"]
    if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
        p.fail("languages", "must be a list of language codes")
    missing = [lang for lang in REQUIRED_LANGUAGES if lang not in languages]
    if missing:
        p.fail("languages", f"must include {', '.join(missing)}")
    languages = tuple(languages)
    title = p.text(data["title"], "title", languages)
    description = p.text(data.get("description"), "description", languages, optional=True)
    reassess = data.get("reassess_after_days")
    if reassess is not None and (not isinstance(reassess, int) or reassess < 1):
        p.fail("reassess_after_days", "must be a positive whole number of days")
    fhir = data.get("fhir") or {}
    sdoh = fhir.get("sdoh_category", "sdoh-category-unspecified")
    if sdoh not in SDOH_CATEGORIES:
        p.fail("fhir.sdoh_category", f"{sdoh!r} is not an SDOHCC category we declare")

    scales = _parse_scales(p, data.get("scales") or {}, languages)

    if not isinstance(data["sections"], list) or not data["sections"]:
        p.fail("sections", "must be a non-empty list")
    sections: list[Section] = []
    seen_sections: set[str] = set()
    items_by_id: dict[str, Item] = {}
    section_of: dict[str, Section] = {}
    raw_items: list[tuple[Item, str]] = []
    for s_index, raw in enumerate(data["sections"]):
        where = f"sections[{s_index}]"
        if not isinstance(raw, dict):
            p.fail(where, "must be a mapping")
        sid = p.ident(raw.get("id"), f"{where}.id")
        where = f"section '{sid}'"
        p.keys(raw, _SECTION_KEYS, where)
        if sid in seen_sections:
            p.fail(where, f"duplicate section id '{sid}'")
        seen_sections.add(sid)
        category = _data_category(p, raw.get("category", ""), f"{where}.category")
        if not isinstance(raw.get("items"), list) or not raw["items"]:
            p.fail(f"{where}.items", "must be a non-empty list")
        items = []
        for i_index, raw_item in enumerate(raw["items"]):
            item = _parse_item(p, raw_item, f"{where}.items[{i_index}]", languages, scales)
            if item.id in items_by_id:
                p.fail(f"item '{item.id}'", f"duplicate item id '{item.id}'")
            items_by_id[item.id] = item
            items.append(item)
            raw_items.append((item, f"item '{item.id}'"))
        section = Section(
            id=sid,
            title=p.text(raw.get("title"), f"{where}.title", languages),
            intro=p.text(raw.get("intro"), f"{where}.intro", languages, optional=True),
            domain=str(raw.get("domain", "")),
            category=category,
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

    scores = _parse_scores(p, data.get("scores") or [], languages, items_by_id)
    return Instrument(
        id=inst_id,
        version=version,
        kind=data["kind"],
        languages=languages,
        title=title,
        description=description,
        citation=str(data.get("citation", "")).strip(),
        licence=str(data.get("licence", "")).strip(),
        reassess_after_days=reassess,
        sdoh_category=sdoh,
        sections=tuple(sections),
        scores=tuple(scores),
        source=source,
        items_by_id=items_by_id,
        section_of=section_of,
    )


def _data_category(p: _Parser, value, where: str) -> str:
    if value in ("", None):
        return ""
    if value not in Category.values:
        p.fail(where, f"{value!r} is not a data category ({', '.join(Category.values)})")
    return value


def _parse_scales(p: _Parser, raw: dict, languages) -> dict[str, tuple[Option, ...]]:
    if not isinstance(raw, dict):
        p.fail("scales", "must be a mapping of scale name to anchors")
    scales = {}
    for name, anchors in raw.items():
        where = f"scales.{name}"
        if not isinstance(anchors, dict) or not anchors:
            p.fail(where, "must map each point (a number) to its label")
        options = []
        for point, label in anchors.items():
            if not isinstance(point, int) or isinstance(point, bool):
                p.fail(where, f"point {point!r} must be a whole number")
            options.append(Option(point, p.text(label, f"{where}.{point}", languages)))
        points = sorted(o.value for o in options)
        if points != list(range(points[0], points[-1] + 1)):
            p.fail(where, "points must be consecutive whole numbers")
        scales[name] = tuple(sorted(options, key=lambda o: o.value))
    return scales


def _parse_item(p: _Parser, raw, where: str, languages, scales) -> Item:
    if not isinstance(raw, dict):
        p.fail(where, "must be a mapping")
    item_id = p.ident(raw.get("id"), f"{where}.id")
    where = f"item '{item_id}'"
    p.keys(raw, _ITEM_KEYS, where)
    rtype = raw.get("type")
    if rtype not in ResponseType.ALL:
        p.fail(f"{where}.type", f"{rtype!r} is not one of {', '.join(ResponseType.ALL)}")
    options: tuple[Option, ...] = ()
    lo = hi = None
    if rtype in (ResponseType.SINGLE_CHOICE, ResponseType.MULTIPLE_CHOICE, ResponseType.YES_NO):
        raw_options = raw.get("options")
        if rtype == ResponseType.YES_NO and raw_options is None:
            raw_options = [
                {"value": "yes", "label": _YES},
                {"value": "no", "label": _NO},
            ]
        if not isinstance(raw_options, list) or len(raw_options) < 2:
            p.fail(f"{where}.options", "needs at least two options")
        seen = set()
        parsed = []
        for n, o in enumerate(raw_options):
            if not isinstance(o, dict) or "value" not in o:
                p.fail(f"{where}.options[{n}]", "needs a value and a label")
            value = p.ident(o["value"], f"{where}.options[{n}].value")
            if value == DECLINED:
                p.fail(f"{where}.options[{n}]", "'declined' is reserved for 'prefer not to say'")
            if value in seen:
                p.fail(f"{where}.options", f"duplicate option value '{value}'")
            seen.add(value)
            score = o.get("score")
            if score is not None and (
                not isinstance(score, int | float) or isinstance(score, bool)
            ):
                p.fail(f"{where}.options[{n}].score", "must be a number")
            unknown = sorted(set(o) - {"value", "label", "score", "exclusive"})
            if unknown:
                p.fail(f"{where}.options[{n}]", f"unknown key(s) {', '.join(unknown)}")
            exclusive = o.get("exclusive", False)
            if exclusive is not False and (
                exclusive is not True or rtype != ResponseType.MULTIPLE_CHOICE
            ):
                p.fail(f"{where}.options[{n}].exclusive", "is true or absent, on multiple_choice")
            label = o.get("label")
            if rtype == ResponseType.YES_NO and label is None:
                label = _YES if value == "yes" else _NO
            parsed.append(
                Option(
                    value,
                    p.text(label, f"{where}.options[{n}].label", languages),
                    score,
                    exclusive,
                )
            )
        if rtype == ResponseType.YES_NO and seen != {"yes", "no"}:
            p.fail(f"{where}.options", "a yes_no item has exactly the options yes and no")
        options = tuple(parsed)
    elif rtype == ResponseType.SCALE:
        name = raw.get("scale")
        if name not in scales:
            p.fail(f"{where}.scale", f"names an undeclared scale {name!r}")
        options = scales[name]
        lo, hi = options[0].value, options[-1].value
    elif rtype == ResponseType.NUMBER:
        lo, hi = raw.get("min"), raw.get("max")
        for bound, v in (("min", lo), ("max", hi)):
            if v is not None and (not isinstance(v, int) or isinstance(v, bool)):
                p.fail(f"{where}.{bound}", "must be a whole number")
        if lo is not None and hi is not None and lo > hi:
            p.fail(where, "min is greater than max")
    max_length = raw.get("max_length", 500)
    if not isinstance(max_length, int) or not 1 <= max_length <= 2000:
        p.fail(f"{where}.max_length", "must be between 1 and 2000")
    needs = []
    for n, rule in enumerate(raw.get("needs") or []):
        rwhere = f"{where}.needs[{n}]"
        if not isinstance(rule, dict) or not {"when", "category", "urgency"} <= set(rule):
            p.fail(rwhere, "needs 'when', 'category' and 'urgency'")
        p.keys(rule, {"when", "category", "urgency"}, rwhere)
        if rule["category"] not in ServiceCategory.values:
            p.fail(f"{rwhere}.category", f"{rule['category']!r} is not a service category")
        if rule["urgency"] not in Urgency.values:
            p.fail(f"{rwhere}.urgency", f"{rule['urgency']!r} is not an urgency")
        needs.append(NeedRule(rule["when"], rule["category"], rule["urgency"]))
    return Item(
        id=item_id,
        type=rtype,
        text=p.text(raw.get("text"), f"{where}.text", languages),
        help=p.text(raw.get("help"), f"{where}.help", languages, optional=True),
        options=options,
        min=lo,
        max=hi,
        max_length=max_length,
        show_if=raw.get("show_if"),
        needs=tuple(needs),
        category=_data_category(p, raw.get("category", ""), f"{where}.category"),
    )


_YES = {"en": "Yes", "es": "Sí"}
_NO = {"en": "No", "es": "No"}


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


def _parse_scores(p: _Parser, raw, languages, items: dict) -> list[ScoreRule]:
    if not isinstance(raw, list):
        p.fail("scores", "must be a list")
    rules, seen = [], set()
    allowed = {
        "id",
        "label",
        "method",
        "items",
        "reverse",
        "values",
        "min_answered",
        "range",
        "bands",
        "chart",
        "axis",
    }
    for n, r in enumerate(raw):
        where = f"scores[{n}]"
        if not isinstance(r, dict):
            p.fail(where, "must be a mapping")
        p.keys(r, allowed, where)
        sid = p.ident(r.get("id"), f"{where}.id")
        where = f"score '{sid}'"
        if sid in seen:
            p.fail(where, f"duplicate score id '{sid}'")
        seen.add(sid)
        method = r.get("method")
        if method not in SCORE_METHODS:
            p.fail(f"{where}.method", f"{method!r} is not one of {', '.join(SCORE_METHODS)}")
        ids = r.get("items")
        if not isinstance(ids, list) or not ids:
            p.fail(f"{where}.items", "must be a non-empty list of item ids")
        for i in ids:
            if i not in items:
                p.fail(f"{where}.items", f"unknown item '{i}'")
            if method != "count" and not items[i].is_scorable:
                p.fail(f"{where}.items", f"item '{i}' has no numeric value to score")
        reverse = r.get("reverse") or []
        for i in reverse:
            if i not in ids:
                p.fail(f"{where}.reverse", f"'{i}' is not one of the score's items")
            if items[i].type != ResponseType.SCALE:
                p.fail(f"{where}.reverse", f"only scale items can be reversed, not '{i}'")
        values = r.get("values") or []
        if method == "count":
            if not values:
                p.fail(f"{where}.values", "a count needs the answer values it counts")
            for i in ids:
                known = {o.value for o in items[i].options}
                bad = [v for v in values if v not in known]
                if bad:
                    p.fail(f"{where}.values", f"item '{i}' has no option {bad[0]!r}")
        min_answered = r.get("min_answered", 1)
        if not isinstance(min_answered, int) or not 1 <= min_answered <= len(ids):
            p.fail(f"{where}.min_answered", f"must be between 1 and {len(ids)}")
        rng = r.get("range")
        if rng is not None and (not isinstance(rng, list) or len(rng) != 2 or not rng[0] < rng[1]):
            p.fail(f"{where}.range", "must be [low, high]")
        bands = []
        for b_n, band in enumerate(r.get("bands") or []):
            if not isinstance(band, dict) or "max" not in band:
                p.fail(f"{where}.bands[{b_n}]", "needs 'max' and 'label'")
            bands.append(
                {
                    "max": band["max"],
                    "label": p.text(band.get("label"), f"{where}.bands[{b_n}]", languages),
                }
            )
        axis = tuple(
            (float(k), p.text(v, f"{where}.axis.{k}", languages))
            for k, v in (r.get("axis") or {}).items()
        )
        if r.get("chart") and rng is None:
            p.fail(f"{where}.range", "a charted score needs a range")
        rules.append(
            ScoreRule(
                id=sid,
                label=p.text(r.get("label"), f"{where}.label", languages),
                method=method,
                items=tuple(ids),
                reverse=tuple(reverse),
                values=tuple(values),
                min_answered=min_answered,
                range=tuple(rng) if rng else None,
                bands=tuple(bands),
                chart=bool(r.get("chart", False)),
                axis=axis,
            )
        )
    return rules


# --- the registry ------------------------------------------------------------------------------


def load_file(path: Path) -> Instrument:
    """Read and validate one instrument file."""
    name = f"{path.parent.name}/{path.name}"
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise InstrumentError(f"{name}: cannot be read: {exc}") from None
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
        if path.suffix not in (".yaml", ".yml", ".json"):
            continue
        inst = load_file(path)
        if (inst.id, inst.version) in found:
            raise InstrumentError(f"{path.name}: {inst.key} is defined twice")
        found[(inst.id, inst.version)] = inst
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
        if inst_id not in off:
            latest[inst_id] = inst
    order = {k: n for n, k in enumerate(Kind.ALL)}
    return sorted(latest.values(), key=lambda i: (order[i.kind], i.id))
