from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured


@register(Tags.security, deploy=True)
def wayfinder_deploy_checks(app_configs, **kwargs):
    from wayfinder.core import crypto

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


@register(Tags.database)
def wayfinder_forget_checks(app_configs, databases=None, **kwargs):
    """Forgets are final only after a KEK rotation: say so while one is due (``check --database``)."""
    if not databases or not {"default", "keystore"} <= set(databases):
        return []
    from wayfinder.core import keyrotation

    try:
        status = keyrotation.forget_status()
    except ImproperlyConfigured:
        return []  # reported by the deploy checks
    problems = []
    if status.pending:
        problems.append(
            Warning(
                f"{status.pending} forget(s) are not final yet: a copy of the keystore's files or "
                "WAL, with a KEK still configured, could bring them back.",
                hint=(
                    "Run 'manage.py rotate_kek --generate ID', put the new key first in "
                    "WAYFINDER_KEK, run 'manage.py rotate_kek', then remove the KEK ids it names."
                    if not status.primary_is_new
                    else "Run 'manage.py rotate_kek', then remove the KEK ids it names."
                ),
                id="wayfinder.W010",
            )
        )
    elif status.retired:
        problems.append(
            Warning(
                f"KEK id(s) {', '.join(status.retired)} wrap no data key any more.",
                hint="Remove them from WAYFINDER_KEK, and destroy every copy of them.",
                id="wayfinder.W011",
            )
        )
    return problems
