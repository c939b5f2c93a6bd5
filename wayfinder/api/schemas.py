"""What every API endpoint shares: the strict input base, the coded-error bodies, ``responses()``.

- Every request body schema derives from :class:`Input`, which refuses unknown fields
  (``extra_forbidden``, a 422 ``invalid_input`` naming the field): a misspelt field is an error,
  not a silently dropped value.
- Every operation declares its error answers with :func:`responses`, so the OpenAPI document
  lists each status an endpoint can give, with the coded-error schema that comes with it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    WithJsonSchema,
)

# What the control-character middleware (``wayfinder.api.inputs``) refuses in any string of a
# JSON body, before validation: C0 controls other than tab, LF and CR, and DEL.
BODY_STRING_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


def _declare_body_strings(schema: dict) -> None:
    """Publish the middleware's rule on every free string of a body schema (one without a
    pattern, enum or format of its own), so the document says what the server accepts."""
    if schema.get("type") == "string" and not {"pattern", "enum", "const", "format"} & set(schema):
        schema["pattern"] = BODY_STRING_PATTERN
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for sub in schema.get(key, ()):
            _declare_body_strings(sub)
    for key in ("items", "additionalProperties", "not"):
        if isinstance(schema.get(key), dict):
            _declare_body_strings(schema[key])
    for sub in schema.get("properties", {}).values():
        _declare_body_strings(sub)


class Input(Schema):
    """The base of every request body: unknown fields are refused, not ignored, and every free
    string is published with the control-character rule that ``api.inputs`` enforces."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra=lambda schema, _cls: _declare_body_strings(schema)
    )


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


# --- input types whose JSON Schema says exactly what validation accepts ---------------------------
#
# A schema looser than the validation makes clients (and schemathesis) send requests that are
# valid by the document and refused by the server. So each rule is the pattern itself: pydantic
# enforces the same regular expression that the OpenAPI document publishes.

# Control characters (C0, DEL, C1): never in a line; a text keeps only tab and newline.
_CONTROL = r"\x00-\x1f\x7f-\x9f"
_TEXT_CONTROL = r"\x00-\x08\x0b-\x1f\x7f-\x9f"
# Every character Python's str.strip() removes (and U+FEFF, which JSON Schema's \s counts).
_BLANK = r"\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"

LINE_PATTERN = rf"^[^{_CONTROL}]*$"
TEXT_PATTERN = rf"^[^{_TEXT_CONTROL}]*$"
# At least one character that is not blank: what is left after trimming is never empty.
FILLED_LINE_PATTERN = rf"^[^{_CONTROL}]*[^{_BLANK}][^{_CONTROL}]*$"
FILLED_TEXT_PATTERN = rf"^[^{_TEXT_CONTROL}]*[^{_BLANK}][^{_TEXT_CONTROL}]*$"

# An address Django's EmailValidator also accepts: dot-atom local part, ASCII host names, a
# TLD of letters.
_ATOM = r"[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL_PATTERN = rf"^{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+[A-Za-z]{{2,63}}$"


def _whole_number(value: Any) -> Any:
    # JSON has one number type: 25.0 is the integer 25 (JSON Schema agrees); 2.5, "25" and
    # true are not integers.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def line(max_length: int = 200, *, filled: bool = False):
    """A single line, trimmed, without control characters; ``filled``: not blank."""
    return Annotated[
        str,
        StringConstraints(
            strict=True,
            max_length=max_length,
            pattern=FILLED_LINE_PATTERN if filled else LINE_PATTERN,
        ),
        AfterValidator(str.strip),
    ]


def text(max_length: int = 2000, *, filled: bool = False):
    """Free text (tab and newline allowed), trimmed; ``filled``: not blank."""
    return Annotated[
        str,
        StringConstraints(
            strict=True,
            max_length=max_length,
            pattern=FILLED_TEXT_PATTERN if filled else TEXT_PATTERN,
        ),
        AfterValidator(str.strip),
    ]


def integer(ge: int | None = None, le: int | None = None):
    """A JSON integer (``25`` or ``25.0``), never a string or a boolean."""
    return Annotated[int, Strict(), Field(ge=ge, le=le), BeforeValidator(_whole_number)]


def choice(values) -> Any:
    """One of ``values`` (an enum shown in the document): ``choice(Domain.values)``."""
    return Literal[tuple(values)]


def date_pattern(first_year: int, last_year: int) -> str:
    """YYYY-MM-DD for the real dates of those years (30 April yes, 31 April no, 29 February in
    leap years only): a pattern that a generator can follow to a date the server parses."""
    years = range(first_year, last_year + 1)
    leap = [y for y in years if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)]
    days = (
        r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
        r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
        r"|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    )
    decades: dict[int, list[int]] = {}
    for y in years:
        decades.setdefault(y // 10, []).append(y % 10)
    any_year = "|".join(f"{d}[{units[0]}-{units[-1]}]" for d, units in decades.items())
    leap_year = "|".join(str(y) for y in leap)
    return rf"^(?:(?:{any_year})-{days}|(?:{leap_year})-02-29)$"


def _iso_only(value: Any) -> Any:
    # Pydantic would also read a number as seconds since 1970; in this API a date or a time is
    # always an ISO 8601 string, as the document says.
    if value is None or isinstance(value, str | date):
        return value
    raise ValueError("must be an ISO 8601 string")


IsoDate = Annotated[date, BeforeValidator(_iso_only)]
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_only)]


def past_date(first_year: int):
    """A date from 1 January ``first_year`` to today. JSON Schema cannot say "not after today",
    so the format names that rule (OpenAPI formats are open-ended) and the description spells it
    out; the pattern gives real calendar dates of those years."""
    from django.utils import timezone

    return Annotated[
        date,
        BeforeValidator(_iso_only),
        WithJsonSchema(
            {
                "type": "string",
                "format": "past-date",
                "pattern": date_range_pattern(date(first_year, 1, 1), timezone.localdate()),
                "description": f"A date as YYYY-MM-DD, from {first_year}-01-01 to today.",
            }
        ),
    ]


def date_range_pattern(start: date, end: date) -> str:
    """YYYY-MM-DD for exactly the real dates from ``start`` to ``end``: whole years in a compact
    form (``date_pattern``), the months and days at either edge spelled out."""
    import calendar

    parts = []
    whole_from = start.year if (start.month, start.day) == (1, 1) else start.year + 1
    whole_to = end.year if (end.month, end.day) == (12, 31) else end.year - 1
    if whole_from <= whole_to:
        parts.append(date_pattern(whole_from, whole_to)[1:-1])
    for year in sorted({start.year, end.year} - set(range(whole_from, whole_to + 1))):
        for month in range(1, 13):
            first = date(year, month, 1)
            last = date(year, month, calendar.monthrange(year, month)[1])
            lo, hi = max(first, start), min(last, end)
            if lo > hi:
                continue
            days = "|".join(f"{d:02d}" for d in range(lo.day, hi.day + 1))
            parts.append(f"(?:{year}-{month:02d}-(?:{days}))")
    return "^(?:" + "|".join(parts) + ")$"
