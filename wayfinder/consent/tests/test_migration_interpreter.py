"""Migrations consent 0004_interpreter and assessments 0003_interpreter: the old yes/no of an
interpreter maps to the new step (who is not known), so older records count in the figures."""

from importlib import import_module

from django.apps import apps

from wayfinder.assessments.actions import start_session
from wayfinder.assessments.models import Session
from wayfinder.consent.models import Consent
from wayfinder.consent.tests.test_migration_communication import _consent

consent_migration = import_module("wayfinder.consent.migrations.0004_interpreter")
session_migration = import_module("wayfinder.assessments.migrations.0003_interpreter")


def test_consents_that_had_an_interpreter_say_so_in_the_new_fields(personas):
    helped = _consent(personas, ["identity"])
    alone = _consent(personas, ["identity"])
    Consent.objects.filter(pk=helped.pk).update(interpreter_used=True, language="vie")
    consent_migration.forwards(apps, None)
    helped, alone = Consent.objects.get(pk=helped.pk), Consent.objects.get(pk=alone.pk)
    assert (helped.interpretation, helped.interpreter_language) == ("interpreted", "vie")
    assert helped.interpreter_provider_name == ""  # not known
    assert alone.interpretation == ""


def test_sessions_that_had_an_interpreter_say_so_in_the_new_fields(personas, nav):
    def session(used, language):
        return start_session(
            personas.survivor,
            actor=nav,
            instrument_id="needs_assessment",
            mode="in_person",
            language=language,
            interpreter_used=used,
        )

    yes_es, no_en = session("yes", "es"), session("no", "en")
    Session.objects.update(interpretation="")
    session_migration.forwards(apps, None)
    yes_es, no_en = Session.objects.get(pk=yes_es.pk), Session.objects.get(pk=no_en.pk)
    assert (yes_es.interpretation, yes_es.interpreter_language) == ("interpreted", "spa")
    assert no_en.interpretation == ""
