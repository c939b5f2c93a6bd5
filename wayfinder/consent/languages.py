"""Which interface language to show a person's forms in, from their ranked ISO 639-3 languages."""

from __future__ import annotations

from django.conf import settings

# ISO 639-3 → the interface languages Wayfinder ships (settings.LANGUAGES).
ISO_TO_UI = {"eng": "en", "spa": "es"}
UI_TO_ISO = {ui: iso for iso, ui in ISO_TO_UI.items()}


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
    return UI_TO_ISO.get(form_language) in (person.preferred_languages or [])
