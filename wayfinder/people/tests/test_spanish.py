"""The pages read fully in Spanish, down to choice labels and language names; the catalogue
is complete (no empty or fuzzy entries)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

PO = Path(__file__).resolve().parents[1] / "locale" / "es" / "LC_MESSAGES" / "django.po"


@pytest.fixture
def es_client(login, personas):
    client = login(personas.navigator_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    return client


def test_dashboard_and_record_in_spanish(es_client, personas):
    text = es_client.get(reverse("dashboard")).content.decode()
    assert "Mi lista de casos" in text and '<span class="language-badge">Español</span>' in text
    text = es_client.get(reverse("person_detail", args=[personas.survivor.pk])).content.decode()
    for phrase in (
        "Equipo de atención",
        "Mujer",
        "Trata con fines de explotación laboral",
        "Inglés",
    ):
        assert phrase in text, phrase


def test_intake_form_in_spanish_with_country_and_language_names(es_client):
    text = es_client.get(reverse("person_create")).content.decode()
    for phrase in (
        "Sobre usted",
        "¿Qué nombre quiere que usemos?",
        "¿Cuándo terminó? (si desea compartirlo)",
        "Prefiero no decirlo",
        '<option value="MX">México</option>',
        '<option value="spa">español</option>',  # lower case inside a sentence, as CLDR has it
        '<option value="ase">lengua de señas americana (ASL)</option>',
    ):
        assert phrase in text, phrase


def test_spanish_catalogue_is_complete():
    text = PO.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    empty = []
    for entry in text.split("\n\n")[1:]:  # the first entry is the header
        for strings in re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', entry, re.M):
            if not "".join(re.findall(r'"(.*)"', strings)):
                empty.append(entry)
    assert not empty, empty[:3]
    assert PO.with_suffix(".mo").exists()
