"""Languages a person may prefer, by ISO 639-3 code, with names in the UI language.

The list holds languages commonly met by US anti-trafficking networks; a code stored by the API
or an import that is not listed still shows (as its code) and is kept on edit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
