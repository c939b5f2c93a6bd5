"""The one language table: languages by ISO 639-3 code (how Wayfinder stores them), their names in
the UI language, their ISO 639-1 and BCP 47 codes, and which interface language shows a person's
forms.

The list holds languages commonly met by US anti-trafficking networks; a code stored by the API
or an import that is not listed still shows (as its code) and is kept on edit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LANGUAGES: dict[str, StrOrPromise] = {
    "spa": _("Spanish"),
    "eng": _("English"),
    "por": _("Portuguese"),
    "fra": _("French"),
    "hat": _("Haitian Creole"),
    "quc": _("K'iche'"),
    "mam": _("Mam"),
    "kek": _("Q'eqchi'"),
    "yua": _("Yucatec Maya"),
    "nah": _("Nahuatl"),
    "vie": _("Vietnamese"),
    "cmn": _("Mandarin Chinese"),
    "yue": _("Cantonese"),
    "kor": _("Korean"),
    "jpn": _("Japanese"),
    "tgl": _("Tagalog"),
    "khm": _("Khmer"),
    "tha": _("Thai"),
    "lao": _("Lao"),
    "mya": _("Burmese"),
    "ind": _("Indonesian"),
    "hmn": _("Hmong"),
    "hin": _("Hindi"),
    "ben": _("Bengali"),
    "urd": _("Urdu"),
    "pan": _("Punjabi"),
    "guj": _("Gujarati"),
    "nep": _("Nepali"),
    "tam": _("Tamil"),
    "ara": _("Arabic"),
    "fas": _("Persian (Farsi)"),
    "prs": _("Dari"),
    "pus": _("Pashto"),
    "tur": _("Turkish"),
    "som": _("Somali"),
    "amh": _("Amharic"),
    "tir": _("Tigrinya"),
    "orm": _("Oromo"),
    "swa": _("Swahili"),
    "twi": _("Twi"),
    "yor": _("Yoruba"),
    "ibo": _("Igbo"),
    "hau": _("Hausa"),
    "kin": _("Kinyarwanda"),
    "lin": _("Lingala"),
    "wol": _("Wolof"),
    "rus": _("Russian"),
    "ukr": _("Ukrainian"),
    "pol": _("Polish"),
    "ron": _("Romanian"),
    "bul": _("Bulgarian"),
    "sqi": _("Albanian"),
    "ell": _("Greek"),
    "deu": _("German"),
    "ita": _("Italian"),
    "ase": _("American Sign Language"),
}


def language_name(code: str) -> str:
    """The language's name in the UI language, or the code itself when it is not listed."""
    name = LANGUAGES.get(code)
    return str(name) if name is not None else code


def language_choices(extra: list[str] | tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(code, name) sorted by name in the UI language; ``extra`` codes not listed are added."""
    codes = list(LANGUAGES) + [c for c in extra if c and c not in LANGUAGES]
    choices = [(c, language_name(c)) for c in codes]
    return sorted(choices, key=lambda c: c[1].casefold())


# HSDS data may carry ISO 639-1 codes where Wayfinder records ISO 639-3.
ISO639_1 = {
    "spa": "es",
    "eng": "en",
    "por": "pt",
    "fra": "fr",
    "hat": "ht",
    "vie": "vi",
    "kor": "ko",
    "jpn": "ja",
    "tgl": "tl",
    "khm": "km",
    "tha": "th",
    "lao": "lo",
    "mya": "my",
    "ind": "id",
    "hin": "hi",
    "ben": "bn",
    "urd": "ur",
    "pan": "pa",
    "guj": "gu",
    "nep": "ne",
    "tam": "ta",
    "ara": "ar",
    "fas": "fa",
    "pus": "ps",
    "tur": "tr",
    "som": "so",
    "amh": "am",
    "tir": "ti",
    "orm": "om",
    "swa": "sw",
    "twi": "tw",
    "yor": "yo",
    "ibo": "ig",
    "hau": "ha",
    "kin": "rw",
    "lin": "ln",
    "wol": "wo",
    "rus": "ru",
    "ukr": "uk",
    "pol": "pl",
    "ron": "ro",
    "bul": "bg",
    "sqi": "sq",
    "ell": "el",
    "deu": "de",
    "ita": "it",
}

# ISO 639-3 → the BCP 47 tag FHIR resources carry: the two-letter code where one exists. Twi keeps
# its three-letter code, as Wayfinder has always exported it.
BCP47 = {c: (c if c == "twi" else ISO639_1.get(c, c)) for c in LANGUAGES}


def language_codes(code: str) -> list[str]:
    """The codes a directory may use for this ISO 639-3 language."""
    code = code.lower()
    return [code, ISO639_1[code]] if code in ISO639_1 else [code]


# ISO 639-3 → the interface languages Wayfinder ships (settings.LANGUAGES). Chinese is written
# in two scripts: Mandarin speakers get Simplified, Cantonese speakers Traditional (the usual
# default in US programs; the language switch offers the other).
ISO_TO_UI = {
    "eng": "en",
    "spa": "es",
    "cmn": "zh-hans",
    "yue": "zh-hant",
    "vie": "vi",
    "tgl": "tl",
    "kor": "ko",
    "hat": "ht",
    "rus": "ru",
    "ukr": "uk",
    "ara": "ar",
}
UI_TO_ISO = {ui: iso for iso, ui in ISO_TO_UI.items()}
# The spoken languages whose readers read an interface language (both Chinese scripts serve
# speakers of Mandarin and of Cantonese alike).
UI_READERS: dict[str, tuple[str, ...]] = {
    **{ui: (iso,) for iso, ui in ISO_TO_UI.items()},
    "zh-hans": ("cmn", "yue"),
    "zh-hant": ("yue", "cmn"),
}

# Interface languages Django does not describe itself (django.conf.locale.LANG_INFO); registered
# by CoreConfig.ready() so that {% get_language_info %} and the language switch can name them.
EXTRA_LANG_INFO = {
    "tl": {"bidi": False, "code": "tl", "name": "Tagalog", "name_local": "Tagalog"},
    "ht": {"bidi": False, "code": "ht", "name": "Haitian Creole", "name_local": "Kreyòl ayisyen"},
}


def form_language_for(person) -> str:
    """The first of the person's languages we have forms in; otherwise the default language."""
    shipped = {code for code, _name in settings.LANGUAGES}
    for iso in person.preferred_languages or []:
        ui = ISO_TO_UI.get(iso)
        if ui in shipped:
            return ui
    return settings.LANGUAGE_CODE


def form_language_is_theirs(person, form_language: str) -> bool:
    """False when the form is in a language the person did not list (an interpreter must read it)."""
    readers = UI_READERS.get(form_language, ())
    return any(iso in readers for iso in person.preferred_languages or [])


def interface_language_name(ui_code: str) -> str:
    """An interface language ("en", "es") named in the UI language: "Spanish" / "español"."""
    return language_name(UI_TO_ISO.get(ui_code, ui_code))


def interface_language_choices() -> list[tuple[str, str]]:
    """The shipped interface languages as (code, name in the UI language), for form fields."""
    return [(code, interface_language_label(code)) for code, _name in settings.LANGUAGES]


def interface_language_label(ui_code: str) -> str:
    """For a choice of form language: the name in its own script, and in the UI language when
    that differs ("العربية (Arabic)"), so both the person and the worker can find it."""
    own, here = own_name(ui_code), interface_language_name(ui_code)
    return own if own.casefold() == here.casefold() else f"{own} ({here})"


def staff_language_choices() -> list[tuple[str, str]]:
    """The languages staff pages are complete in (settings.WAYFINDER_STAFF_LANGUAGES), each named
    in its own script, for the staff language switch."""
    staff = set(getattr(settings, "WAYFINDER_STAFF_LANGUAGES", ["en", "es"]))
    return [(code, name) for code, name in settings.LANGUAGES if code in staff]


def own_name(ui_code: str) -> str:
    """An interface language's name in its own script ("Tiếng Việt", "العربية")."""
    return dict(settings.LANGUAGES).get(ui_code, ui_code)


def is_rtl(ui_code: str) -> bool:
    """True for languages written right to left (settings.LANGUAGES_BIDI)."""
    return ui_code.split("-")[0] in settings.LANGUAGES_BIDI


def language_switch(
    action: str,
    current: str,
    *,
    codes: list[str] | tuple[str, ...] | None = None,
    method: str = "post",
    field: str = "language",
    hidden: list[tuple[str, str]] | None = None,
) -> dict:
    """What templates/_survivor_language.html needs: a form to ``action`` choosing among
    ``codes`` (default: every interface language), each named in its own script."""
    offered = list(codes) if codes is not None else [c for c, _n in settings.LANGUAGES]
    return {
        "action": action,
        "method": method,
        "field": field,
        "current": current,
        "hidden": hidden or [],
        "choices": [(code, own_name(code)) for code in offered],
    }


class LanguageSelect(forms.Select):
    """A select of interface languages whose options carry ``lang`` (each is named in its own
    script first), so that screen readers and the language checks read them as that language."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value in dict(settings.LANGUAGES):
            option["attrs"]["lang"] = value
        return option


def autonym(code: str) -> str:
    """A language (ISO 639-3) named in itself, from CLDR ("spa" -> "español", "ara" ->
    "العربية"); the name in the UI language when CLDR has none."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(BCP47.get(code, code)).get_language_name()
    except (UnknownLocaleError, ValueError, TypeError):
        name = None
    return name or language_name(code)
