"""Every error from the APIs (``/api/v1/``, ``/hsds/``) is coded JSON, even the ones Django or
django-ninja answer before an endpoint runs: a wrong method (405), an unknown address (404), a
body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413), a CSRF or server failure. Endpoints' own errors
are JSON already (``errors.install``); this catches the rest, so a client never parses HTML.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext as _

from wayfinder.core.errors import CommonErrorCode as Code

API_PREFIXES = ("/api/v1/", "/hsds/")
KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIXES) or request.path == "/hsds"


def _too_big(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return limit is not None and length > limit


def error_body(status: int) -> dict:
    codes = {
        400: (Code.BAD_REQUEST, _("The request could not be read.")),
        401: (Code.UNAUTHENTICATED, _("A valid API token is required.")),
        403: (Code.FORBIDDEN, _("This request was refused.")),
        404: (Code.NOT_FOUND, _("Not found.")),
        405: (Code.METHOD_NOT_ALLOWED, _("This address does not accept that method.")),
        413: (Code.TOO_LARGE, _("The request body is too large.")),
        429: (Code.THROTTLED, _("Too many requests. Wait a moment and try again.")),
    }
    if status in codes:
        code, message = codes[status]
    elif status >= 500:
        code, message = Code.SERVER_ERROR, _("Something went wrong on our side. Try again later.")
    else:
        code, message = Code.ERROR, _("The request could not be handled.")
    return {"code": code.value, "message": message}


class JsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 400 or not is_api(request):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        status = response.status_code
        if status == 400 and _too_big(request):
            status = 413
        replaced = JsonResponse(error_body(status), status=status)
        for header in KEPT_HEADERS:
            if header in response:
                replaced[header] = response[header]
        return replaced

    def process_exception(self, request, exception):
        if is_api(request) and isinstance(exception, RequestDataTooBig):
            return JsonResponse(error_body(413), status=413)
        return None
