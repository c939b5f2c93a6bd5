"""Web fonts for the scripts of the interface languages, subset to the characters we show.

A survivor's phone must never show empty boxes ("tofu") instead of their language. Wayfinder
serves Noto fonts (SIL Open Font License, ``static/fonts/OFL.txt``) cut down with fontTools to
the characters our catalogues, instruments, language names and date formats use, plus basic
Latin. ``manage.py fonts`` (``make fonts``) regenerates them from the system's Noto fonts
(Debian: ``fonts-noto-core``, ``fonts-noto-cjk``) and writes ``static/fonts/fonts.css``.

Each face carries a ``unicode-range`` and is named only in the font stack of its languages
(``:lang(ar)`` …), so a browser downloads a script's font only on a page with text in that
language. English and Spanish pages keep the system font.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.dates import MONTHS, MONTHS_3, MONTHS_ALT, WEEKDAYS
from django.utils.module_loading import import_string
from django.utils.translation import to_locale

FONTS_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
SYSTEM_FONTS = Path("/usr/share/fonts")
BASIC_LATIN = "".join(chr(c) for c in range(0x20, 0x7F))


@dataclass(frozen=True)
class Face:
    name: str  # file stem in static/fonts
    family: str  # CSS family name
    source: str  # file name under /usr/share/fonts
    index: int  # face in a .ttc collection
    weight: int
    script: str  # which characters go in: see _belongs


FACES = (
    Face("wf-sans-regular", "WF Sans", "NotoSans-Regular.ttf", 0, 400, "latin"),
    Face("wf-sans-bold", "WF Sans", "NotoSans-Bold.ttf", 0, 700, "latin"),
    Face("wf-arabic-regular", "WF Arabic", "NotoSansArabic-Regular.ttf", 0, 400, "arabic"),
    Face("wf-arabic-bold", "WF Arabic", "NotoSansArabic-Bold.ttf", 0, 700, "arabic"),
    # Noto Sans CJK collections: 1 = KR, 2 = SC, 3 = TC. Regular only (bold is synthesised):
    # the CJK files are the heaviest.
    Face("wf-sc-regular", "WF SC", "NotoSansCJK-Regular.ttc", 2, 400, "cjk:zh-hans"),
    Face("wf-tc-regular", "WF TC", "NotoSansCJK-Regular.ttc", 3, 400, "cjk:zh-hant"),
    Face("wf-kr-regular", "WF KR", "NotoSansCJK-Regular.ttc", 1, 400, "cjk:ko"),
)

# The families a language's text is set in, first choice first (then the system fonts).
STACKS: dict[str, tuple[str, ...]] = {
    "zh-hans": ("WF SC", "WF Sans"),
    "zh-hant": ("WF TC", "WF Sans"),
    "ko": ("WF KR", "WF Sans"),
    "ar": ("WF Sans", "WF Arabic"),
    "vi": ("WF Sans",),
    "tl": ("WF Sans",),
    "ht": ("WF Sans",),
    "ru": ("WF Sans",),
    "uk": ("WF Sans",),
}
SYSTEM_STACK = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif'


def _is_arabic(ch: str) -> bool:
    c = ord(ch)
    return (
        0x0600 <= c <= 0x06FF
        or 0x0750 <= c <= 0x077F
        or 0x08A0 <= c <= 0x08FF
        or 0xFB50 <= c <= 0xFDFF
        or 0xFE70 <= c <= 0xFEFF
    )


def _belongs(face: Face, ch: str, language: str) -> bool:
    if face.script == "arabic":
        return _is_arabic(ch) or (language == "ar" and ch in "\u200c\u200d\u200e\u200f")
    if face.script.startswith("cjk:"):
        # Everything of a CJK text beyond ASCII: ideographs, Hangul, full-width punctuation,
        # and the quotes and dots as the CJK face draws them.
        return language == face.script[4:] and ord(ch) > 0x7F and not _is_arabic(ch)
    # latin: Latin, Vietnamese, Cyrillic, punctuation: anything not Arabic, CJK or Hangul.
    c = ord(ch)
    return not _is_arabic(ch) and c < 0x2E80 and not (0x1100 <= c <= 0x11FF)


def _po_texts(language: str) -> list[str]:
    """The msgstr of every catalogue of ours in ``language``."""
    from babel.messages.pofile import read_po

    locale = to_locale(language)
    roots = [Path(p) for p in settings.LOCALE_PATHS]
    roots += [
        Path(c.path) / "locale" for c in apps.get_app_configs() if c.name.startswith("wayfinder")
    ]
    texts = []
    for root in roots:
        po = root / locale / "LC_MESSAGES" / "django.po"
        if po.exists():
            with po.open("rb") as fh:
                for m in read_po(fh):
                    if m.id and m.string:
                        texts += [m.string] if isinstance(m.string, str) else list(m.string)
    return texts


def _date_texts(language: str) -> list[str]:
    """Month and weekday names and formatted dates as Django shows them in ``language``."""
    import datetime

    from django.utils.formats import date_format, number_format

    with translation.override(language):
        words = [str(v) for d in (MONTHS, MONTHS_3, MONTHS_ALT, WEEKDAYS) for v in d.values()]
        day = datetime.date(2026, 12, 5)
        for fmt in ("DATE_FORMAT", "SHORT_DATE_FORMAT", "MONTH_DAY_FORMAT", "M Y"):
            words.append(date_format(day, fmt))
        words.append(number_format(1234567.89, decimal_pos=2, force_grouping=True))
    return words


def language_text(language: str) -> str:
    """Every character a page in ``language`` may show from our side (not personal text)."""
    parts = [BASIC_LATIN, dict(settings.LANGUAGES).get(language, "")]
    parts += _po_texts(language)
    parts += _date_texts(language)
    for config in apps.get_app_configs():
        hook = getattr(config, "survivor_texts", None)
        if hook:
            parts += list(import_string(hook)(language))
    chars = {ch for ch in "".join(parts) if not unicodedata.category(ch).startswith(("C", "Z"))}
    return "".join(sorted(chars | {" "}))


def face_text(face: Face) -> str:
    """The characters one face must hold: those of every language that sets text in it."""
    chars = set(BASIC_LATIN) if face.script == "latin" else set()
    for language, stack in STACKS.items():
        if face.family in stack:
            chars |= {ch for ch in language_text(language) if _belongs(face, ch, language)}
    return "".join(sorted(chars))


def _source(face: Face) -> Path:
    found = sorted(SYSTEM_FONTS.rglob(face.source))
    if not found:
        raise FileNotFoundError(
            f"{face.source} not found under {SYSTEM_FONTS}: "
            "apt-get install fonts-noto-core fonts-noto-cjk"
        )
    return found[0]


def _ranges(codepoints: list[int]) -> str:
    spans: list[list[int]] = []
    for c in sorted(codepoints):
        if spans and c == spans[-1][1] + 1:
            spans[-1][1] = c
        else:
            spans.append([c, c])
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in spans)


def flavor() -> str:
    """woff2 when brotli is installed, else woff (zlib)."""
    try:
        import brotli  # noqa: F401
    except ImportError:
        return "woff"
    return "woff2"


def build(out: Path = FONTS_DIR) -> list[Path]:
    """Subset every face, write the fonts and ``fonts.css``; returns the files written."""
    import logging

    from fontTools import subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    out.mkdir(parents=True, exist_ok=True)
    ext = flavor()
    written, css = [], [_CSS_HEAD]
    for face in FACES:
        text = face_text(face)
        options = subset.Options()
        options.flavor = ext
        options.layout_features = ["*"]  # Arabic joining, ligatures, vertical metrics
        options.name_IDs = ["*"]  # keep the copyright and licence names (OFL)
        options.notdef_outline = True
        options.font_number = face.index
        font = subset.load_font(str(_source(face)), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        path = out / f"{face.name}.{ext}"
        buffer = io.BytesIO()
        subset.save_font(font, buffer, options)
        path.write_bytes(buffer.getvalue())
        written.append(path)
        cmap = TTFont(io.BytesIO(buffer.getvalue())).getBestCmap()
        css.append(
            "@font-face {\n"
            f'  font-family: "{face.family}"; font-style: normal; font-weight: {face.weight};\n'
            f'  font-display: swap; src: url("{path.name}") format("{ext}");\n'
            f"  unicode-range: {_ranges([c for c in cmap if c > 0x20])};\n"
            "}\n"
        )
    for language, stack in STACKS.items():
        families = ", ".join(f'"{f}"' for f in stack)
        css.append(f":lang({language}) {{ font-family: {families}, {SYSTEM_STACK}; }}\n")
    css_path = out / "fonts.css"
    css_path.write_text("".join(css), encoding="utf-8")
    written.append(css_path)
    return written


def served_cmap(family: str) -> set[int]:
    """The code points the served files of ``family`` hold (all weights together)."""
    from fontTools.ttLib import TTFont

    points: set[int] = set()
    for face in FACES:
        if face.family == family:
            path = FONTS_DIR / f"{face.name}.{flavor()}"
            if not path.exists():
                path = next(FONTS_DIR.glob(f"{face.name}.woff*"))
            points |= set(TTFont(str(path)).getBestCmap())
    return points


def missing_glyphs(language: str) -> str:
    """Characters of ``language``'s text that no served font of its stack can draw."""
    stack = STACKS.get(language)
    if not stack:
        return ""
    covered: set[int] = set()
    for family in stack:
        covered |= served_cmap(family)
    return "".join(ch for ch in language_text(language) if ord(ch) not in covered and ch != " ")


_CSS_HEAD = """/* Generated by `manage.py fonts` (make fonts) from the system's Noto fonts: do not edit.
   Noto fonts: SIL Open Font License 1.1, see OFL.txt beside this file. Each face holds only
   the characters our catalogues, instruments, language names and dates use (wayfinder.core.fonts).
   A face is named only in the stack of its languages, so a page loads only the fonts it needs. */
"""
