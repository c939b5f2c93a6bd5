"""One error vocabulary: every coded error is raised the same way, with a code from its app's list.

An action (or an endpoint) raises ``CodedError`` with a member of its app's ``ErrorCode`` choices
(``wayfinder/<app>/errors.py``), as Saleor does with ``OrderErrorCode``::

    from wayfinder.core.errors import CodedError
    from wayfinder.referrals.errors import ReferralErrorCode as Code

    raise CodedError(Code.CONFLICT, _("Someone else changed this referral a moment ago."), status=409)
    raise CodedError(Code.NOTE_REQUIRED, _("Write the update."), field="note")

``CodedError`` is a Django ``ValidationError``, so forms, commands and tests handle it as before.
The API turns it into ``{"code", "message", ...}`` JSON in one place (``wayfinder.api.errors``);
pages put it next to the form field it names (``add_action_errors``). The value of a code is what
clients see: never change one. ``docs/api.md`` lists them all (``manage.py error_codes``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models


class ErrorCode(models.TextChoices):
    """Base of every app's error codes: the value is the code clients see, the label its meaning.

    Labels document the code for developers (``docs/api.md``) and are not translated; what a
    person reads is the error's message, which is.
    """


class CommonErrorCode(ErrorCode):
    """Codes any endpoint may answer with (the API's own handlers give most of them)."""

    NOT_FOUND = "not_found", "There is no such record, or you may not see it."
    UNAUTHENTICATED = "unauthenticated", "A valid API token is required."
    INVALID_INPUT = "invalid_input", "The request does not match the schema; see errors."
    INVALID = "invalid", "The request is not valid."
    INVALID_JSON = "invalid_json", "The request body is not valid JSON."
    BAD_REQUEST = "bad_request", "The request is not valid."
    METHOD_NOT_ALLOWED = "method_not_allowed", "That method is not allowed here."
    CONFLICT = "conflict", "The request conflicts with the current state."
    THROTTLED = "throttled", "Too many requests; try again later."
    TOO_LARGE = "too_large", "The request body is too large."
    FORBIDDEN = "forbidden", "This request was refused."
    ERROR = "error", "The request failed."
    SERVER_ERROR = "server_error", "Something went wrong."
    ACCESS_ENDED = "access_ended", "Your agency's access ended with the consent (410)."
    READ_ONLY = "read_only", "Only the agency that holds this record can change it."


class CodedError(ValidationError):
    """A ``ValidationError`` with a stable code, an HTTP status for the API, and maybe a field.

    - ``code``: a member of an app's ``ErrorCode`` choices (what clients see);
    - ``message``: for people, translated (gettext);
    - ``field``: the input the error is about (the API lists it under ``errors``, a form shows it
      next to that field);
    - ``status``: the API's answer: 422 unless the request was fine but the state is not (409), or
      it names something the record does not have (404, the same as an unknown id in a path);
    - ``extra``: more JSON members of the API's answer (ids, dates; never personal data).
    """

    def __init__(
        self,
        code: ErrorCode,
        message: Any,
        *,
        field: str | None = None,
        status: int = 422,
        params: dict[str, Any] | None = None,
        **extra: Any,
    ):
        if not isinstance(code, ErrorCode):
            raise TypeError(f"{code!r} is not an ErrorCode: add it to its app's errors.py")
        if field is None:
            super().__init__(message, code=code.value, params=params)
        else:
            error = ValidationError(message, code=code.value, params=params)
            super().__init__({field: [error]})
            self.code, self.message, self.params = code.value, message, params
        self.field, self.status, self.extra = field, status, extra

    @staticmethod
    def combine(errors: Iterable[CodedError]) -> ValidationError | None:
        """Several field errors found together (a form's worth) as one ``ValidationError``."""
        by_field: dict[str, list] = {}
        for error in errors:
            for field, errs in error.error_dict.items():
                by_field.setdefault(field, []).extend(errs)
        return ValidationError(by_field) if by_field else None

    @staticmethod
    def raise_any(errors: Iterable[CodedError]) -> None:
        """Raise ``combine(errors)`` when there is any error; return when there is none."""
        combined = CodedError.combine(errors)
        if combined is not None:
            raise combined


def add_action_errors(
    form: forms.Form, exc: ValidationError, *, rename: Mapping[str, str] | None = None
) -> None:
    """Show an action's coded errors on a form: next to the field they name, else at the top.

    ``rename`` maps an action's argument to the form's field where they differ.
    """
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        name = (rename or {}).get(field, field)
        form.add_error(name if name in form.fields else None, errors)


def all_error_codes() -> list[type[ErrorCode]]:
    """Every app's ``ErrorCode`` choices (importing each installed app's ``errors`` module)."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    for config in apps.get_app_configs():
        module = f"{config.name}.errors"
        if config.name.startswith("wayfinder.") and find_spec(module) is not None:
            import_module(module)

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    return sorted(walk(ErrorCode), key=lambda c: (c.__module__, c.__name__))
