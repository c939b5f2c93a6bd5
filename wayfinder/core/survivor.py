"""The survivor-facing surfaces and the words they use, gathered from the apps.

An app declares, on its AppConfig:

- ``survivor_templates``: the templates a survivor reads (hand-over pages, the consent text,
  the printed plan, …);
- ``survivor_messages``: dotted paths to Python objects holding more of those words: a dict or
  list of lazy strings, or a ``TextChoices`` class (its labels).

These messages must be translated into every language of ``settings.LANGUAGES`` (staff pages
only into ``WAYFINDER_STAFF_LANGUAGES``). ``manage.py language_status`` reports what is missing;
docs/languages.md says how to add or review a language.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template import engines
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import trans_real
from django.utils.translation.template import templatize

# templatize() turns {% translate %} / {% blocktranslate %} into gettext calls in dummy code.
_LIT = r"""u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_CALL = re.compile(rf"\b(?P<fn>n?p?gettext)\(\s*(?P<args>{_LIT}(?:\s*,\s*{_LIT})*)")
_STR = re.compile(_LIT)


def survivor_templates() -> list[str]:
    names: list[str] = []
    for config in apps.get_app_configs():
        names += list(getattr(config, "survivor_templates", ()))
    return names


def _template_path(name: str) -> Path:
    template = engines["django"].get_template(name)
    # The Django backend's Template wraps the engine's, which knows its origin.
    return Path(template.origin.name)  # type: ignore[attr-defined]


def _template_msgids(name: str) -> list[str]:
    path = _template_path(name)
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    found = []
    for m in _CALL.finditer(code):
        strings = [ast.literal_eval(s) for s in _STR.findall(m.group("args"))]
        fn = m.group("fn")
        if fn.startswith("np"):
            found += strings[1:3]
        elif fn.startswith("p"):
            found += strings[1:2]
        elif fn.startswith("n"):
            found += strings[:2]
        else:
            found += strings[:1]
    return found


def _lazy_msgid(value) -> str | None:
    if isinstance(value, Promise):
        args = getattr(value, "_args", ())
        return str(args[-1]) if args else None
    return None


def _python_msgids(path: str) -> list[str]:
    obj = import_string(path)
    values = obj.values() if isinstance(obj, dict) else getattr(obj, "labels", obj)
    if hasattr(obj, "choices") and not isinstance(obj, dict):
        values = [member.label for member in obj]
    return [m for v in values if (m := _lazy_msgid(v))]


@cache
def survivor_msgids() -> tuple[str, ...]:
    """Every msgid a survivor-facing surface may show, in a stable order, without repeats."""
    found: list[str] = []
    for config in apps.get_app_configs():
        for name in getattr(config, "survivor_templates", ()):
            found += _template_msgids(name)
        for path in getattr(config, "survivor_messages", ()):
            found += _python_msgids(path)
    return tuple(dict.fromkeys(m for m in found if m.strip()))


def catalog(language: str) -> dict[str, str]:
    """The merged translations Django uses for ``language`` (msgid -> text; plurals skipped)."""
    # Django's merged catalogue of every app and LOCALE_PATHS for the language.
    merged = trans_real.translation(language)._catalog  # type: ignore[attr-defined]
    return {k: v for k, v in dict(merged.items()).items() if isinstance(k, str) and v}


def missing_msgids(language: str) -> list[str]:
    """Survivor-facing msgids with no translation in ``language`` (English has none to miss)."""
    if language == settings.LANGUAGE_CODE:
        return []
    have = catalog(language)
    return [m for m in survivor_msgids() if not have.get(m)]
