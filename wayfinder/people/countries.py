"""Country names (ISO 3166-1 alpha-2) in the UI language, from the Unicode CLDR data in Babel."""

from __future__ import annotations

import functools

from babel import Locale
from django.utils.translation import get_language

# CLDR territories that are not countries a person comes from.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


@functools.cache
def _countries(lang: str) -> tuple[tuple[str, str], ...]:
    try:
        locale = Locale.parse(lang)
    except (ValueError, LookupError):
        locale = Locale.parse("en")
    names = {
        code: name
        for code, name in locale.territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }
    return tuple(sorted(names.items(), key=lambda item: item[1].casefold()))


def _lang() -> str:
    return (get_language() or "en").replace("-", "_")


def country_choices() -> list[tuple[str, str]]:
    """(code, name) for every country, sorted by name in the UI language."""
    return list(_countries(_lang()))


def country_name(code: str) -> str:
    return dict(_countries(_lang())).get(code, code)
