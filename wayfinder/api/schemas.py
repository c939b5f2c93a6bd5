"""What every API endpoint shares: the strict input base, the coded-error bodies, ``responses()``.

- Every request body schema derives from :class:`Input`, which refuses unknown fields
  (``extra_forbidden``, a 422 ``invalid_input`` naming the field): a misspelt field is an error,
  not a silently dropped value.
- Every operation declares its error answers with :func:`responses`, so the OpenAPI document
  lists each status an endpoint can give, with the coded-error schema that comes with it.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import ConfigDict


class Input(Schema):
    """The base of every request body: unknown fields are refused, not ignored."""

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    """Every error: a stable ``code`` and a translated ``message`` (some codes add fields)."""

    model_config = ConfigDict(extra="allow")

    code: str
    message: str


class FieldErrorOut(Schema):
    field: str
    message: str
    type: str


class InvalidOut(ErrorOut):
    """422: ``errors`` lists the offending fields (``invalid_input``); a rule of the action that
    refused the request gives its own code, and may list ``errors`` per field too."""

    errors: Any = None


# What each status means for every operation (the coded body is always ErrorOut or a subclass).
_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,  # invalid_json, bad_request, names_not_in_urls
    401: ErrorOut,  # unauthenticated
    403: ErrorOut,  # read_only
    404: ErrorOut,  # not_found (unknown, refused, or a malformed id in the path)
    409: ErrorOut,  # possible_duplicate, illegal_transition, conflict, already_revoked, …
    410: ErrorOut,  # access_ended
    413: ErrorOut,  # too_large
    422: InvalidOut,  # invalid_input, or a rule's own code
}

# Every authenticated operation can answer these, whatever it does.
ALWAYS = (400, 401, 404, 413, 422)


def responses(ok: Any, *statuses: int, ok_status: int = 200, **schemas: type[Schema]) -> dict:
    """``response=`` for a router decorator: the success schema plus every coded error.

    ``responses(PersonOut, 403, 409, 410)`` → 200 with ``PersonOut``, and 400, 401, 403, 404,
    409, 410, 413, 422 with the coded-error schema. ``schemas`` overrides one status's schema
    (``e409=DuplicateErrorOut``).
    """
    out: dict[int, Any] = {ok_status: ok}
    for status in sorted({*ALWAYS, *statuses}):
        out[status] = _ERRORS[status]
    for key, schema in schemas.items():
        out[int(key.removeprefix("e"))] = schema
    return out
