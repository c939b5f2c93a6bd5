"""Every Spanish catalogue is complete: no empty or fuzzy entry, and its .mo up to date."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[3]
# Each app's own catalogue, and the project's (templates/ and config/).
CATALOGUES = [
    *sorted(ROOT.glob("wayfinder/*/locale/es/LC_MESSAGES/django.po")),
    ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po",
]


def entries(po: Path):
    for block in po.read_text().split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (\".*\")$", line)
            if match:
                current = match.group(1)
                fields[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
        if fields.get("msgid"):
            yield fields, flags


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete(po):
    found = list(entries(po))
    assert found
    for fields, flags in found:
        assert "fuzzy" not in flags, fields["msgid"]
        strs = [v for k, v in fields.items() if k.startswith("msgstr")]
        assert strs and all(strs), f"untranslated: {fields['msgid']!r}"
    # The compiled catalogue holds the same translations (someone ran compilemessages).
    with po.with_suffix(".mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for fields, _flags in found:
        if "msgid_plural" in fields:
            continue
        if "msgctxt" in fields:  # the same words in another sense ({% translate … context … %})
            found_text = compiled.pgettext(fields["msgctxt"], fields["msgid"])
        else:
            found_text = compiled.gettext(fields["msgid"])
        assert found_text == fields["msgstr"], "compile the .po again"


def test_role_and_agency_kind_names_are_translated():
    from wayfinder.accounts.models import AgencyKind, Role

    with translation.override("es"):
        assert str(Role.NAVIGATOR.label) == "Navegador/a (gestor/a de casos)"
        assert str(AgencyKind.LEGAL_AID.label) == "Asistencia jurídica"
