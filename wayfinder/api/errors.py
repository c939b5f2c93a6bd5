"""API errors: always JSON ``{"code": ..., "message": ...}`` with a stable code, never a 500 for bad input.

Endpoints and actions raise ``wayfinder.core.errors.CodedError``; the handlers here are the one
place that turns it (and any ``ValidationError``) into JSON, through ``validation_body``.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from wayfinder.access.gate import AccessEnded
from wayfinder.core.errors import CodedError
from wayfinder.core.errors import CommonErrorCode as Code

READ_ONLY_MESSAGE = gettext_lazy("Only the agency that holds this record can change it.")


def read_only() -> CodedError:
    """403: a partner may read what consent allows, but only the owning agency may change it."""
    return CodedError(Code.READ_ONLY, READ_ONLY_MESSAGE, status=403)


def validation_body(exc: ValidationError) -> tuple[int, dict]:
    """The one translation of a (coded) ``ValidationError`` into an API answer: status and body.

    ``{"code", "message"}`` with the first error's code and message; errors about named inputs
    are also listed by field under ``errors`` (``{field: [{"code", "message"}]}``). The status is
    the ``CodedError``'s own (409 for a state conflict, 404 for a thing the record lacks), else
    422 (several errors found together are always 422).
    """
    extra = dict(getattr(exc, "extra", None) or {})
    if hasattr(exc, "error_dict"):
        fields = {
            field: [{"code": e.code or "invalid", "message": " ".join(e.messages)} for e in errs]
            for field, errs in exc.error_dict.items()
        }
        first = next(iter(fields.values()))[0]
        return getattr(exc, "status", 422), {**first, "errors": fields, **extra}
    code = getattr(exc, "code", None) or next((e.code for e in exc.error_list if e.code), None)
    body = {"code": code or "invalid", "message": " ".join(exc.messages), **extra}
    return getattr(exc, "status", 422), body


def install(api) -> None:
    """Register the handlers that turn every failure into a coded JSON body."""

    def reply(request, status, code: Code, message, **extra):
        body = {"code": code.value, "message": message, **extra}
        return api.create_response(request, body, status=status)

    @api.exception_handler(AccessEnded)
    def _access_ended(request, exc: AccessEnded):
        # A care-team partner whose consent ended: when and why, and nothing else (consent app).
        return reply(request, 410, Code.ACCESS_ENDED, exc.message(), **exc.details())

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return reply(request, 404, Code.NOT_FOUND, _("Not found."))

    @api.exception_handler(PermissionDenied)
    def _denied(request, exc):
        # Deny by default and do not confirm existence: a refusal looks like a missing object.
        return reply(request, 404, Code.NOT_FOUND, _("Not found."))

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        response = reply(request, 401, Code.UNAUTHENTICATED, _("A valid API token is required."))
        response["WWW-Authenticate"] = 'Bearer realm="wayfinder"'
        return response

    @api.exception_handler(NinjaValidationError)
    def _invalid_input(request, exc: NinjaValidationError):
        if any(list(e.get("loc", ()))[:1] == ["path"] for e in exc.errors):
            # A malformed id in the path names nothing that could exist: the same 404 as an
            # unknown one, for every route, whatever else is wrong with the request.
            return reply(request, 404, Code.NOT_FOUND, _("Not found."))
        return reply(
            request,
            422,
            Code.INVALID_INPUT,
            _("The request is not valid."),
            errors=field_errors(exc),
        )

    @api.exception_handler(ValidationError)  # CodedError too: every action's coded error
    def _domain_invalid(request, exc: ValidationError):
        status, body = validation_body(exc)
        return api.create_response(request, body, status=status)

    @api.exception_handler(HttpError)
    def _http_error(request, exc: HttpError):
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            return reply(request, 400, Code.INVALID_JSON, _("The request body is not valid JSON."))
        codes = {
            400: Code.BAD_REQUEST,
            401: Code.UNAUTHENTICATED,
            403: Code.NOT_FOUND,
            404: Code.NOT_FOUND,
            405: Code.METHOD_NOT_ALLOWED,
            409: Code.CONFLICT,
            429: Code.THROTTLED,
        }
        status = 404 if exc.status_code == 403 else exc.status_code
        return reply(request, status, codes.get(exc.status_code, Code.ERROR), str(exc))


# Pydantic names the branch of a union (``literal['declined']``, ``function-after[…]``, ``str``)
# in an error's location; callers want the field, so those parts are left out.
_BRANCH = re.compile(r"[\[\('-]|^(str|int|float|bool|date|datetime|list|dict|none)$")


def field_errors(exc: NinjaValidationError) -> list[dict]:
    """One ``{"field", "message", "type"}`` per offending field, in the order pydantic found them.

    ``field`` is a dotted path inside the body or query (``aliases.2``); ``""`` is the whole body.
    Of a union's several complaints the most telling one is kept: "not a valid date" says more
    than "is not 'declined'".
    """
    by_field: dict[str, dict] = {}
    for e in exc.errors:
        loc = list(e.get("loc", ()))
        # ("body", <parameter name>, field, …) or ("query", field, …)
        rest = loc[2:] if loc[:1] == ["body"] else loc[1:]
        field = ".".join(str(p) for p in rest if not (isinstance(p, str) and _BRANCH.search(p)))
        error = {
            "field": field,
            "message": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        if field not in by_field or by_field[field]["type"] == "literal_error":
            by_field[field] = error
    return list(by_field.values())
