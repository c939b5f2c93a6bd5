import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wayfinder.core.errors import CommonErrorCode

_URL_MARK = uuid.UUID(int=0)


def row_url(name: str, *rest) -> Callable[[object], str]:
    """The URL ``name`` for any row's id (its first argument; ``rest`` the others), reversed
    once for a page of rows rather than once per row."""
    head, tail = reverse(name, args=[_URL_MARK, *rest]).split(str(_URL_MARK))
    return lambda pk: f"{head}{pk}{tail}"


@never_cache
def quick_exit(request):
    """Leave at once: end the session and go to a neutral site (the page is also replaced in JS)."""
    if request.user.is_authenticated:
        logout(request)
    if request.headers.get("X-Quick-Exit"):  # the script's keepalive call: it navigates itself
        response = HttpResponse(status=204)
    else:
        response = HttpResponseRedirect(settings.WAYFINDER_QUICK_EXIT_URL)
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@require_GET
def healthz(request):
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def not_found(request, exception=None):
    if request.path.startswith(("/api/", "/hsds/")):
        return JsonResponse(
            {"code": CommonErrorCode.NOT_FOUND.value, "message": "Not found."}, status=404
        )
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    """``handler403``: a refusal looks exactly like a missing record (404), never a 403.

    Actions raise ``PermissionDenied`` when the actor may not touch an object; answering 403
    would confirm that the object exists. So views need no ``except PermissionDenied`` of their
    own, and one forgotten would not leak anything.
    """
    return not_found(request, exception)


def server_error(request):
    if request.path.startswith(("/api/", "/hsds/")):
        return JsonResponse(
            {"code": CommonErrorCode.SERVER_ERROR.value, "message": "Something went wrong."},
            status=500,
        )
    try:
        # Rendered without the request: no context processors, nothing from the failed request.
        html = render_to_string("500.html", {"QUICK_EXIT_URL": settings.WAYFINDER_QUICK_EXIT_URL})
    except Exception:  # the error may be in the template layer itself
        html = _plain_500()
    return HttpResponse(html, status=500)


def _plain_500() -> str:
    # No template rendering here: the error may be in the template layer itself.
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Error</title></head>"
        "<body><main><h1>Something went wrong</h1><p>Please try again. No information was lost "
        "from what was already saved.</p><p><a href='/'>Home</a></p></main></body></html>"
    )
