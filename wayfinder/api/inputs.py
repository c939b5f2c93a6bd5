"""Bad input stops at the door: control characters, and API bodies over the size limit.

PostgreSQL refuses a NUL in a text value (``text fields cannot contain NUL``), so a NUL in any
query, path or body that reached a query was a 500 — without signing in. One middleware, early in
the chain, refuses such requests before any view (or the database) sees them:

- **path and query string**: any C0 control character (U+0000 to U+001F) or DEL is refused. No
  address, id or filter legitimately holds one;
- **form and JSON bodies**: the same, except tab, carriage return and line feed, which a textarea
  legitimately sends (notes, descriptions). Uploaded *files* are not inspected here: their readers
  (HSDS import) check their own content;
- answer: for a path, 404 everywhere (coded JSON ``not_found`` on the APIs), as for any malformed
  id; for a query or body, ``/api/v1/`` answers its usual 422 ``invalid_input`` naming each field,
  ``/hsds/`` its usual 400 ``invalid_parameter`` naming the parameter, and pages the 400 page.

It also answers a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` on the APIs with the coded 413 up
front, so DEBUG behaves as production (under DEBUG django-ninja used to catch Django's
``RequestDataTooBig`` first and answer a 500). Multipart bodies are left to Django: their file
parts do not count against that limit.
"""

from __future__ import annotations

import json
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import bad_request

from wayfinder.api.middleware import error_body, is_api

# Every C0 control and DEL; bodies allow tab, LF and CR.
STRICT = re.compile(r"[\x00-\x1f\x7f]")
BODY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _bad(value: str, pattern: re.Pattern) -> bool:
    return bool(pattern.search(value))


def _bad_query_fields(request) -> list[str]:
    return [
        "" if _bad(key, STRICT) else key
        for key, values in request.GET.lists()
        if _bad(key, STRICT) or any(_bad(v, STRICT) for v in values)
    ]


def _json_strings(value, path=()):
    """Every string in a JSON document (keys too), with its dotted path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield (*path, k), k
            yield from _json_strings(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _json_strings(v, (*path, i))


def _bad_body_fields(request) -> list[str] | None:
    """None if the body is fine, else the offending fields (dotted paths; "" when unnamed)."""
    if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
        return None
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        bad = [
            key
            for key, values in request.POST.lists()
            if _bad(key, BODY) or any(_bad(v, BODY) for v in values)
        ]
        return [k if not _bad(k, BODY) else "" for k in bad] or None
    if content_type == "application/json" or content_type.endswith("+json"):
        try:
            data = json.loads(request.body or b"null")
        except ValueError:
            return None  # not JSON: the endpoint answers its own 400/422
        bad = [".".join(map(str, p)) for p, v in _json_strings(data) if _bad(v, BODY)]
        # A field name that itself holds a control character is not echoed back.
        return list(dict.fromkeys("" if _bad(f, STRICT) else f for f in bad)) or None
    return None


def _too_big(request) -> bool:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None or (request.content_type or "") == "multipart/form-data":
        return False
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit
    except ValueError:
        return False


def _invalid_input(fields: list[str]) -> JsonResponse:
    """The REST API's own 422 shape, naming each field, as its schema errors do."""
    message = _("Control characters (such as NUL) are not accepted.")
    return JsonResponse(
        {
            "code": "invalid_input",
            "message": _("The request is not valid."),
            "errors": [
                {"field": f, "message": message, "type": "control_characters"} for f in fields
            ],
        },
        status=422,
    )


def _refuse(request, *, where: str, fields: list[str]):
    if where == "path":  # no address holds one: "not found", like any malformed id
        from wayfinder.core.views import not_found

        return not_found(request)
    if request.path.startswith("/api/v1/"):
        return _invalid_input(fields)
    if is_api(request):
        return JsonResponse(
            {
                "code": "invalid_parameter",
                "message": _(
                    "The request holds control characters (such as NUL), which no parameter "
                    "accepts."
                ),
                "parameter": fields[0],
            },
            status=400,
        )
    return bad_request(request, exception=None)


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _bad(request.path_info, STRICT) or _bad(request.path, STRICT):
            return _refuse(request, where="path", fields=[])
        if fields := _bad_query_fields(request):
            return _refuse(request, where="query", fields=fields)
        if is_api(request) and _too_big(request):
            return JsonResponse(error_body(413), status=413)
        try:
            fields = _bad_body_fields(request)
        except RequestDataTooBig:  # Django's own handling answers (400 page; 413 on the APIs)
            fields = None
        if fields is not None:
            return _refuse(request, where="body", fields=fields)
        return self.get_response(request)
