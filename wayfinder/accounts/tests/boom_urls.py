"""URLs for the error-page tests: the real ones plus a view that fails with personal data in hand."""

from django.urls import include, path


def boom(request):
    raise RuntimeError("Ana Rivera, born 1996-04-12, phone +1 555 0100")


urlpatterns = [path("boom/", boom), path("", include("config.urls"))]

handler403 = "wayfinder.core.views.permission_denied"
handler404 = "wayfinder.core.views.not_found"
handler500 = "wayfinder.core.views.server_error"
