"""Interpreters in the work: who interpreted (the provider choices, the form fields, the checks)
and whether a service's staff speak the person's language.

The record's shape is ``core.interpretation`` (consent carries it too); the choices read the
directory's interpretation services and the network's agencies, so they live here. Assessments,
consent and referrals share the form fields (``InterpreterFormMixin``) and the check
(``resolve_interpreter``), so the three ask the same question the same way.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema

from wayfinder.accounts.models import Agency
from wayfinder.api.schemas import Input
from wayfinder.core.errors import CodedError
from wayfinder.core.interpretation import (
    Interpretation,
    InterpreterAnswer,
    InterpreterMode,
    ProviderKind,
)
from wayfinder.core.languages import LANGUAGES, language_codes, language_name
from wayfinder.core.service_categories import ServiceCategory
from wayfinder.directory.errors import DirectoryErrorCode as Code
from wayfinder.directory.models import Attribute, Language, Service, ServiceStatus
from wayfinder.directory.taxonomy import Feature, category_term_id, feature_term_id

OTHER = ProviderKind.OTHER.value


def interpretation_services() -> list[tuple[str, str]]:
    """(HSDS id, name) of the active directory services in the interpretation category."""
    ids = Attribute.objects.filter(
        taxonomy_term_id=category_term_id(ServiceCategory.INTERPRETATION)
    ).values_list("link_id", flat=True)
    return list(
        Service.objects.filter(pk__in=list(ids), status=ServiceStatus.ACTIVE)
        .order_by("name")
        .values_list("id", "name")
    )


def provider_choices() -> list:
    """Grouped choices: interpretation services, network agencies, another service."""
    services = [(f"{ProviderKind.SERVICE}:{pk}", name) for pk, name in interpretation_services()]
    agencies = [
        (f"{ProviderKind.AGENCY}:{pk}", name)
        for pk, name in Agency.objects.filter(is_active=True)
        .order_by("name")
        .values_list("id", "name")
    ]
    choices: list = [("", _("Choose the agency or service"))]
    if services:
        choices.append((_("Interpretation services in the directory"), services))
    if agencies:
        choices.append((_("Network agencies"), agencies))
    choices.append((OTHER, _("Another interpreting service (name it below)")))
    return choices


class InterpreterFormMixin(forms.Form):
    """The "who interpreted" fields. Call ``setup_interpreter`` in ``__init__``."""

    interpretation = forms.ChoiceField(
        label=gettext_lazy("Who interpreted?"),
        choices=Interpretation.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    interpreter_provider = forms.ChoiceField(
        label=gettext_lazy("Interpreting agency or service"),
        required=False,
        help_text=gettext_lazy("The agency or service, not the interpreter's name."),
    )
    interpreter_provider_name = forms.CharField(
        label=gettext_lazy("Name of the other interpreting service"),
        required=False,
        max_length=200,
    )
    interpreter_mode = forms.ChoiceField(
        label=gettext_lazy("How did the interpreter take part?"),
        choices=InterpreterMode.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    interpreter_language = forms.ChoiceField(
        label=gettext_lazy("Language interpreted"), required=False
    )

    INTERPRETER_FIELDS = (
        "interpretation",
        "interpreter_provider",
        "interpreter_provider_name",
        "interpreter_mode",
        "interpreter_language",
    )

    def setup_interpreter(self, *, relevant: bool, person) -> None:
        """Keep the fields only when the step applies (else they are dropped from the form)."""
        self.interpreter_relevant = relevant
        if not relevant:
            for name in self.INTERPRETER_FIELDS:
                self.fields.pop(name, None)
            return
        languages = [c for c in (person.preferred_languages or []) if c]
        codes = list(dict.fromkeys([*languages, *LANGUAGES]))
        language_field = self.fields["interpreter_language"]
        provider_field = self.fields["interpreter_provider"]
        assert isinstance(language_field, forms.ChoiceField)
        assert isinstance(provider_field, forms.ChoiceField)
        language_field.choices = [("", "—")] + [(c, language_name(c)) for c in codes]
        language_field.initial = languages[0] if languages else ""
        provider_field.choices = provider_choices()
        self.fields["interpretation"].required = True

    def interpreter_fields(self) -> list:
        """The bound fields of the step (for a fieldset in the template)."""
        return [self[n] for n in self.INTERPRETER_FIELDS if n in self.fields]

    def other_fields(self) -> list:
        return [self[n] for n in self.fields if n not in self.INTERPRETER_FIELDS]

    def interpreter_answer(self) -> InterpreterAnswer | None:
        """The answer for the action, or None when the step did not apply."""
        if not getattr(self, "interpreter_relevant", False):
            return None
        d = self.cleaned_data
        return InterpreterAnswer(
            interpretation=d.get("interpretation") or "",
            mode=d.get("interpreter_mode") or "",
            language=d.get("interpreter_language") or "",
            provider=d.get("interpreter_provider") or "",
            provider_name=d.get("interpreter_provider_name") or "",
        )


def resolve_interpreter(answer: InterpreterAnswer | None) -> dict[str, str]:
    """The model fields for an answer (all blank for None), or raise its ``CodedError``s."""
    fields, errors = check_interpreter(answer)
    CodedError.raise_any(errors)
    return fields


def check_interpreter(answer: InterpreterAnswer | None) -> tuple[dict[str, str], list[CodedError]]:
    """The model fields for an answer (all blank for None) and the ``CodedError``s found (field
    names are the form's). An interpreter's agency or service, mode and language are required."""
    fields = {
        "interpretation": "",
        "interpreter_mode": "",
        "interpreter_language": "",
        "interpreter_provider_kind": "",
        "interpreter_provider_id": "",
        "interpreter_provider_name": "",
    }
    errors: list[CodedError] = []
    if answer is None or not answer.interpretation:
        return fields, errors
    if answer.interpretation not in Interpretation.values:
        errors.append(
            CodedError(
                Code.INVALID_INTERPRETATION,
                _("Say who interpreted, or that no interpreter was needed or the person declined."),
                field="interpretation",
            )
        )
        return fields, errors
    fields["interpretation"] = answer.interpretation
    if answer.interpretation != Interpretation.INTERPRETED:
        return fields, errors
    if answer.mode not in InterpreterMode.values:
        errors.append(
            CodedError(
                Code.INVALID_INTERPRETER_MODE,
                _("Say whether the interpreter was there in person, by phone or by video."),
                field="interpreter_mode",
            )
        )
    language = (answer.language or "").strip().lower()
    if len(language) != 3 or not language.isalpha():
        errors.append(
            CodedError(
                Code.INVALID_LANGUAGE,
                _("Choose the language that was interpreted."),
                field="interpreter_language",
            )
        )
    kind, _sep, ref = (answer.provider or "").partition(":")
    name = ""
    if kind == ProviderKind.SERVICE and ref:
        name = Service.objects.filter(pk=ref).values_list("name", flat=True).first() or ""
    elif kind == ProviderKind.AGENCY and ref:
        try:
            name = Agency.objects.filter(pk=ref).values_list("name", flat=True).first() or ""
        except (ValidationError, ValueError):  # not an agency id
            name = ""
    elif kind == ProviderKind.OTHER and not ref:
        name = " ".join(answer.provider_name.split())[:200]
        if not name:
            errors.append(
                CodedError(
                    Code.INVALID_INTERPRETER_PROVIDER,
                    _("Name the interpreting service."),
                    field="interpreter_provider_name",
                )
            )
            name = "-"
    if not name:
        errors.append(
            CodedError(
                Code.INVALID_INTERPRETER_PROVIDER,
                _("Choose the agency or service that interpreted."),
                field="interpreter_provider",
            )
        )
    if errors:
        return fields, errors
    fields.update(
        interpreter_mode=answer.mode,
        interpreter_language=language,
        interpreter_provider_kind=kind,
        interpreter_provider_id=ref,
        interpreter_provider_name=name,
    )
    return fields, errors


def interpreter_detail(obj) -> dict[str, str]:
    """What an audit event says of the step: coded values only, nothing when not asked."""
    if not obj.interpretation:
        return {}
    detail = {"interpretation": obj.interpretation}
    if obj.interpretation == Interpretation.INTERPRETED:
        detail.update(
            interpreter_mode=obj.interpreter_mode,
            interpreter_language=obj.interpreter_language,
            interpreter_provider_kind=obj.interpreter_provider_kind,
        )
    return detail


# --- will an interpreter be needed at this service? ----------------------------------------------


@dataclass(frozen=True)
class LanguageAccess:
    """``code``: "speaks" (staff speak ``language``), "interpreter" (they do not, the service
    offers interpretation), "no_interpreter" (they do not and it lists none) or
    "languages_unknown" (the service lists no language)."""

    code: str
    language: str

    @property
    def needs_interpreter(self) -> bool:
        return self.code != "speaks"

    @property
    def text(self) -> str:
        return language_access_text(self.code, self.language)


def language_access_text(code: str, language: str) -> str:
    """The plain line shown with a match, a referral and its packet."""
    name = language_name(language)
    if code == "speaks":
        return _("Staff speak %(language)s") % {"language": name}
    if code == "interpreter":
        return _(
            "An interpreter will be needed (%(language)s) — the service offers interpretation"
        ) % {"language": name}
    if code == "no_interpreter":
        return _("An interpreter will be needed (%(language)s); this service lists none") % {
            "language": name
        }
    if code == "languages_unknown":
        return _("Check whether staff speak %(language)s: this service lists no language") % {
            "language": name
        }
    return ""


def service_language_access(
    service_id: str, languages, interpreter_needed: str = ""
) -> LanguageAccess | None:
    """Whether the service's staff speak one of ``languages`` (ISO 639-3, the person's first
    first), else whether it offers interpretation. None when the person's languages are unknown
    (as matching's ranking reads them). A service that lists no language reads "no interpreter"
    when the person is known to need one."""
    languages = [c for c in (languages or []) if c]
    if not languages:
        return None
    spoken = {
        (c or "").strip().lower()
        for c in Language.objects.filter(service_id=service_id).values_list("code", flat=True)
    }
    spoken.discard("")

    def offers() -> bool:
        return Attribute.objects.filter(
            link_id=service_id, taxonomy_term_id=feature_term_id(Feature.INTERPRETER_AVAILABLE)
        ).exists() or bool(
            (
                Service.objects.filter(pk=service_id).values_list(
                    "interpretation_services", flat=True
                )
            ).first()
        )

    return _language_access(languages, spoken, offers, interpreter_needed)


def _language_access(
    languages: list[str], spoken: set[str], offers: Callable[[], bool], interpreter_needed: str
) -> LanguageAccess:
    """The answer of ``service_language_access`` from what the service's staff speak and
    (asked only when they speak none of ``languages``) whether it offers interpretation."""
    for code in languages:
        if spoken & set(language_codes(code)):
            return LanguageAccess("speaks", code)
    if offers():
        return LanguageAccess("interpreter", languages[0])
    known = spoken or interpreter_needed == "yes"
    return LanguageAccess("no_interpreter" if known else "languages_unknown", languages[0])


def services_language_access(
    asks: Mapping[Any, tuple[str, Any, str]],
) -> dict[Any, LanguageAccess | None]:
    """``service_language_access`` for many (service id, languages, interpreter needed) at once,
    keyed as ``asks`` is: at most three queries whatever their number (the services' languages;
    then, for those whose staff speak none of the person's, their interpretation)."""
    wanted = {
        key: (service_id, [c for c in (languages or []) if c], needed)
        for key, (service_id, languages, needed) in asks.items()
    }
    wanted = {key: ask for key, ask in wanted.items() if ask[1]}
    spoken: dict[Any, set[str]] = {service_id: set() for service_id, _l, _n in wanted.values()}
    if spoken:
        rows = Language.objects.filter(service_id__in=list(spoken)).values_list(
            "service_id", "code"
        )
        for service_id, code in rows:
            spoken[service_id].add((code or "").strip().lower())
        for codes in spoken.values():
            codes.discard("")
    unspoken = {
        service_id
        for service_id, languages, _n in wanted.values()
        if not any(spoken[service_id] & set(language_codes(c)) for c in languages)
    }
    offering: set = set()
    if unspoken:
        offering = set(
            Attribute.objects.filter(
                link_id__in=list(unspoken),
                taxonomy_term_id=feature_term_id(Feature.INTERPRETER_AVAILABLE),
            ).values_list("link_id", flat=True)
        )
        rest = unspoken - offering
        if rest:
            offering |= {
                pk
                for pk, text in Service.objects.filter(pk__in=list(rest)).values_list(
                    "pk", "interpretation_services"
                )
                if text
            }
    out: dict[Any, LanguageAccess | None] = dict.fromkeys(asks)
    for key, (service_id, languages, needed) in wanted.items():
        out[key] = _language_access(
            languages,
            spoken[service_id],
            functools.partial(operator.contains, offering, service_id),
            needed,
        )
    return out


# --- the API's shape of the step (session, consent and referral bodies share it) -----------------


class InterpreterIn(Input):
    """Who interpreted. ``interpretation``: interpreted, not_needed or declined. When
    interpreted: ``mode`` (in_person, phone, video), ``language`` (ISO 639-3) and ``provider``
    (``service:<HSDS id>``, ``agency:<agency id>``, or ``other`` with ``provider_name``)."""

    interpretation: str
    mode: str = ""
    language: str = ""
    provider: str = ""
    provider_name: str = ""

    def answer(self) -> InterpreterAnswer:
        return InterpreterAnswer(
            interpretation=self.interpretation,
            mode=self.mode,
            language=self.language,
            provider=self.provider,
            provider_name=self.provider_name,
        )


class InterpreterOut(Schema):
    interpretation: str
    mode: str
    language: str
    provider_kind: str
    provider_id: str
    provider_name: str


def interpreter_out(obj) -> dict[str, str] | None:
    """The step as the API shows it; None when it was not asked."""
    if not obj.interpretation:
        return None
    return {
        "interpretation": obj.interpretation,
        "mode": obj.interpreter_mode,
        "language": obj.interpreter_language,
        "provider_kind": obj.interpreter_provider_kind,
        "provider_id": obj.interpreter_provider_id,
        "provider_name": obj.interpreter_provider_name,
    }
