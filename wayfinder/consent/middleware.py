"""Turn ``AccessEnded`` from the gate into a plain "your access ended" page (status 410)."""

from __future__ import annotations

from django.template.response import TemplateResponse

from wayfinder.access.gate import AccessEnded


def access_ended_response(request, exc: AccessEnded):
    """The small page a partner sees instead of the record once the consent has ended."""
    response = TemplateResponse(
        request,
        "consent/access_ended.html",
        {"ended": exc, "revoked": exc.reason == "revoked"},
        status=410,
    )
    return response.render()


class AccessEndedMiddleware:
    """Any page whose gate raised ``AccessEnded`` says so; the API has its own coded reply."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, AccessEnded) and not request.path.startswith("/api/"):
            return access_ended_response(request, exception)
        return None
