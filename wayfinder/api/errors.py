"""API errors: always JSON ``{"code": ..., "message": ...}`` with a stable code, never a 500 for bad input."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from wayfinder.core.access import AccessEnded

# Messages for codes that several endpoints share; an endpoint may pass its own message instead.
MESSAGES = {
    "possible_duplicate": gettext_lazy(
        "This person may already have a record here. Check the records listed, then send again "
        "with confirm_not_duplicate set to true if this is someone else."
    ),
    "read_only": gettext_lazy("Only the agency that holds this record can change it."),
}


class ApiError(Exception):
    """Raise from an endpoint for a coded 4xx: ``raise ApiError(409, "illegal_transition", msg)``."""

    def __init__(self, status: int, code: str, message: str | None = None, **extra):
        message = str(message if message is not None else MESSAGES.get(code, code))
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


def install(api) -> None:
    """Register the handlers that turn every failure into a coded JSON body."""

    def reply(request, status, code, message, **extra):
        return api.create_response(
            request, {"code": code, "message": message, **extra}, status=status
        )

    @api.exception_handler(ApiError)
    def _api_error(request, exc: ApiError):
        return reply(request, exc.status, exc.code, exc.message, **exc.extra)

    @api.exception_handler(AccessEnded)
    def _access_ended(request, exc: AccessEnded):
        # A care-team partner whose consent ended: when and why, and nothing else (consent app).
        return reply(request, 410, "access_ended", exc.message(), **exc.details())

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return reply(request, 404, "not_found", _("Not found."))

    @api.exception_handler(PermissionDenied)
    def _denied(request, exc):
        # Deny by default and do not confirm existence: a refusal looks like a missing object.
        return reply(request, 404, "not_found", _("Not found."))

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        response = reply(request, 401, "unauthenticated", _("A valid API token is required."))
        response["WWW-Authenticate"] = 'Bearer realm="wayfinder"'
        return response

    @api.exception_handler(NinjaValidationError)
    def _invalid_input(request, exc: NinjaValidationError):
        if any(list(e.get("loc", ()))[:1] == ["path"] for e in exc.errors):
            # A malformed id in the path names nothing that could exist: the same 404 as an
            # unknown one, for every route, whatever else is wrong with the request.
            return reply(request, 404, "not_found", _("Not found."))
        return reply(
            request, 422, "invalid_input", _("The request is not valid."), errors=field_errors(exc)
        )

    @api.exception_handler(ValidationError)
    def _domain_invalid(request, exc: ValidationError):
        code = getattr(exc, "code", None) or (
            exc.error_list[0].code if hasattr(exc, "error_list") else None
        )
        return reply(request, 422, code or "invalid", " ".join(exc.messages))

    @api.exception_handler(HttpError)
    def _http_error(request, exc: HttpError):
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            return reply(request, 400, "invalid_json", _("The request body is not valid JSON."))
        codes = {
            400: "bad_request",
            401: "unauthenticated",
            403: "not_found",
            404: "not_found",
            405: "method_not_allowed",
            409: "conflict",
            429: "throttled",
        }
        status = 404 if exc.status_code == 403 else exc.status_code
        return reply(request, status, codes.get(exc.status_code, "error"), str(exc))


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
