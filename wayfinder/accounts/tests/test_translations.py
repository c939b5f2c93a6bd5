"""Every Spanish catalogue is complete: no empty or fuzzy entry, and its .mo up to date."""

import ast
import gettext
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from conftest import IN_CI

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


def keys(po: Path) -> set[tuple]:
    return {(f.get("msgctxt"), f["msgid"], f.get("msgid_plural")) for f, _flags in entries(po)}


@pytest.mark.skipif(
    not shutil.which("xgettext") and not IN_CI, reason="makemessages needs GNU gettext"
)
@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_holds_the_strings_of_its_own_sources(po, tmp_path, monkeypatch):
    """``makemessages`` over the catalogue's own folder finds no string it lacks and none it no
    longer uses. Django merges every app's catalogue at run time, so an app could show Spanish
    that only another app's catalogue held (lost the day that app changes its wording), and a
    stale entry could win over the right one: the feedback inbox's "New" once read "Nuevas",
    the referrals inbox's word."""
    home = po.parents[3]
    work = tmp_path / "src"
    if home == ROOT:  # the project's catalogue: templates/ and config/
        for folder in ("templates", "config"):
            shutil.copytree(
                ROOT / folder, work / folder, ignore=shutil.ignore_patterns("__pycache__")
            )
    else:
        shutil.copytree(home, work, ignore=shutil.ignore_patterns("__pycache__", "locale"))
    (work / "locale" / "es" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(po, work / "locale" / "es" / "LC_MESSAGES" / "django.po")
    monkeypatch.chdir(work)
    call_command("makemessages", locale=["es"], no_obsolete=True, verbosity=0)
    made = keys(work / "locale" / "es" / "LC_MESSAGES" / "django.po")
    have = keys(po)
    assert not made - have, f"run makemessages in {home.name}/ and translate: {made - have}"
    assert not have - made, f"no longer used, run makemessages in {home.name}/: {have - made}"


def test_role_and_agency_kind_names_are_translated():
    from wayfinder.accounts.models import AgencyKind, Role

    with translation.override("es"):
        assert str(Role.NAVIGATOR.label) == "Navegador/a (gestor/a de casos)"
        assert str(AgencyKind.LEGAL_AID.label) == "Asistencia jurídica"
