from django.conf import settings
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from wayfinder.core import views as core_views

urlpatterns = [
    path("", include("wayfinder.people.urls")),
    path("api/", include("wayfinder.api.urls")),
    path("assessments/", include("wayfinder.assessments.urls")),
    path("directory/", include("wayfinder.directory.urls")),
    path("hsds/", include("wayfinder.directory.hsds.urls")),
    path("matching/", include("wayfinder.matching.urls")),
    path("consent/", include("wayfinder.consent.urls")),
    path("referrals/", include("wayfinder.referrals.urls")),
    path("plans/", include("wayfinder.plans.urls")),
    path("services/", include("wayfinder.delivery.urls")),
    path("reports/", include("wayfinder.reports.urls")),
    path("conferences/", include("wayfinder.conferences.urls")),
    # anonymous feedback: public pages at /f/, staff pages at /feedback/
    path("", include("wayfinder.feedback.urls")),
    path("prevention/", include("wayfinder.prevention.urls")),
    path("", include("wayfinder.prevention.public_urls")),
    path("my/", include("wayfinder.portal.urls")),
    path("portal/", include("wayfinder.portal.staff_urls")),
    path("accounts/", include("wayfinder.accounts.urls")),
    # Staff e-mail addresses are managed by agency admins (invitations), not by adding addresses.
    path("accounts/email/", core_views.not_found, name="account_email_disabled"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("exit/", core_views.quick_exit, name="quick_exit"),
    path("healthz", core_views.healthz, name="healthz"),
    path("settings/tokens/", include("wayfinder.api.page_urls")),
]

if settings.WAYFINDER_BENCH:  # `make bench` only: the bare view it measures as the floor
    urlpatterns.append(path("bench/", include("bench.urls")))

handler403 = "wayfinder.core.views.permission_denied"
handler404 = "wayfinder.core.views.not_found"
handler500 = "wayfinder.core.views.server_error"
