"""Who interpreted (the shared step's choices and checks) and whether a service's staff speak the
person's language (issue 17, item 4)."""

import pytest
from django.core.exceptions import ValidationError

from wayfinder.core.interpretation import InterpreterAnswer, interpreter_relevant
from wayfinder.directory.actions import set_service_facts
from wayfinder.directory.interpreters import (
    provider_choices,
    resolve_interpreter,
    service_language_access,
)
from wayfinder.directory.models import Language, Organization, Service


def service(pk, name, categories=(), *, languages=(), interpreter=False):
    org = Organization.objects.create(id=f"org-{pk}", name=f"{name} org", description="test")
    svc = Service.objects.create(id=pk, organization=org, name=name)
    set_service_facts(
        svc,
        actor=None,
        categories=list(categories),
        features={"interpreter_available": True} if interpreter else None,
    )
    for code in languages:
        Language.objects.create(id=f"{pk}-{code}", service=svc, code=code)
    return svc


class P:  # a person's language facts, as the step reads them
    def __init__(self, languages, needed=""):
        self.preferred_languages, self.interpreter_needed = languages, needed


def test_the_step_applies_when_an_interpreter_is_needed_or_no_language_is_shared():
    assert interpreter_relevant(P(["vie"]), "en")
    assert interpreter_relevant(P(["eng"], "yes"), "en")
    assert not interpreter_relevant(P(["spa", "eng"]), "en")
    assert not interpreter_relevant(P(["spa"]), "es")
    assert not interpreter_relevant(P([]), "en")  # nothing known: not asked


@pytest.mark.django_db
def test_choices_list_interpretation_services_and_network_agencies(personas):
    service("int-1", "Community Interpreters", ["interpretation"])
    service("leg-1", "Legal aid", ["legal_civil"])
    choices = provider_choices()
    flat = {value: label for group in choices[1:-1] for value, label in group[1]}
    assert flat["service:int-1"] == "Community Interpreters"
    assert "service:leg-1" not in flat
    assert flat[f"agency:{personas.legal.pk}"] == personas.legal.name
    assert choices[-1][0] == "other"


@pytest.mark.django_db
def test_an_interpreted_answer_needs_provider_mode_and_language(personas):
    service("int-1", "Community Interpreters", ["interpretation"])
    fields = resolve_interpreter(InterpreterAnswer("interpreted", "phone", "vie", "service:int-1"))
    assert fields == {
        "interpretation": "interpreted",
        "interpreter_mode": "phone",
        "interpreter_language": "vie",
        "interpreter_provider_kind": "service",
        "interpreter_provider_id": "int-1",
        "interpreter_provider_name": "Community Interpreters",
    }
    agency = resolve_interpreter(
        InterpreterAnswer("interpreted", "video", "vie", f"agency:{personas.legal.pk}")
    )
    assert agency["interpreter_provider_name"] == personas.legal.name
    other = resolve_interpreter(
        InterpreterAnswer("interpreted", "in_person", "vie", "other", "  County   Language Line ")
    )
    assert other["interpreter_provider_name"] == "County Language Line"
    with pytest.raises(ValidationError) as exc:
        resolve_interpreter(InterpreterAnswer("interpreted", "fax", "", "agency:not-a-uuid"))
    assert set(exc.value.error_dict) == {
        "interpreter_mode",
        "interpreter_language",
        "interpreter_provider",
    }
    with pytest.raises(ValidationError) as exc:
        resolve_interpreter(InterpreterAnswer("interpreted", "phone", "vie", "other", ""))
    assert set(exc.value.error_dict) == {"interpreter_provider_name"}


@pytest.mark.django_db
def test_not_needed_and_declined_are_answers_with_nothing_else():
    for answer in ("not_needed", "declined"):
        fields = resolve_interpreter(InterpreterAnswer(answer, "phone", "vie", "other", "x"))
        assert fields["interpretation"] == answer
        assert fields["interpreter_mode"] == fields["interpreter_provider_name"] == ""
    assert resolve_interpreter(None)["interpretation"] == ""
    with pytest.raises(ValidationError):
        resolve_interpreter(InterpreterAnswer("maybe"))


@pytest.mark.django_db
def test_the_line_says_staff_speak_or_that_an_interpreter_will_be_needed():
    service("s-vi", "Speaks Vietnamese", languages=["vi", "en"])
    service("s-int", "Offers interpretation", languages=["en"], interpreter=True)
    service("s-none", "English only", languages=["en"])
    service("s-unk", "Lists nothing")
    assert service_language_access("s-vi", ["vie"]).text == "Staff speak Vietnamese"
    assert service_language_access("s-int", ["vie"]).text == (
        "An interpreter will be needed (Vietnamese) — the service offers interpretation"
    )
    assert service_language_access("s-none", ["vie"]).text == (
        "An interpreter will be needed (Vietnamese); this service lists none"
    )
    assert service_language_access("s-unk", ["vie"]).code == "languages_unknown"
    assert service_language_access("s-none", ["vie", "eng"]).text == "Staff speak English"
    assert service_language_access("s-vi", []) is None
