from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from wayfinder.core import crypto


@register(Tags.security, deploy=True)
def wayfinder_deploy_checks(app_configs, **kwargs):
    problems = []
    if not settings.WAYFINDER_KEK:
        problems.append(
            Error("WAYFINDER_KEK (or WAYFINDER_KEK_FILE) is not set.", id="wayfinder.E001")
        )
    else:
        try:
            crypto.kek_ring()
        except ImproperlyConfigured as exc:
            problems.append(Error(str(exc), id="wayfinder.E002"))
    if not settings.WAYFINDER_BLIND_INDEX_KEY:
        problems.append(Error("WAYFINDER_BLIND_INDEX_KEY is not set.", id="wayfinder.E003"))
    if not settings.WAYFINDER_REQUIRE_MFA:
        problems.append(
            Warning(
                "WAYFINDER_REQUIRE_MFA is off: staff can sign in without a second factor.",
                id="wayfinder.W001",
            )
        )
    return problems
