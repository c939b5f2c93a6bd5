from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Signed-in pages must not stay in the browser cache or history (quick-exit, shared devices)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
            response.headers["Cache-Control"] = (
                "no-store, no-cache, must-revalidate, private, max-age=0"
            )
        return response


class PermissionsPolicyMiddleware:
    """Turn off browser features no page uses (camera, microphone, geolocation, …)."""

    def __init__(self, get_response):
        from django.conf import settings

        self.value = settings.PERMISSIONS_POLICY
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self.value:
            response.headers.setdefault("Permissions-Policy", self.value)
        return response


class RealNotFoundMiddleware:
    """Under ``DEBUG`` (the demo of ``make run``) a 404 shows the real 404 page, with quick exit,
    instead of Django's technical page, which lists the URL patterns and has no way out.

    Added by settings only when ``DEBUG`` is on (``WAYFINDER_TECHNICAL_404=1`` keeps Django's
    page for debugging URL routing). It must be the innermost middleware: that is where an
    unmatched URL has just been turned into the technical page."""

    TECHNICAL = b"<code>DEBUG = True</code>"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 404
            and not response.streaming
            and self.TECHNICAL in response.content
        ):
            from wayfinder.core.views import not_found

            return not_found(request)
        return response
