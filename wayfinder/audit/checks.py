from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured


@register(Tags.security)
def audit_key_checks(app_configs, **kwargs):
    """A signing or verify key that does not parse is an error on every start."""
    from wayfinder.audit import checkpoints

    try:
        checkpoints.verify_keys()
    except (ImproperlyConfigured, ValueError) as exc:
        return [Error(str(exc), id="audit.E001")]
    return []


@register(Tags.security, deploy=True)
def audit_deploy_checks(app_configs, **kwargs):
    if settings.WAYFINDER_AUDIT_SIGNING_KEY or settings.WAYFINDER_AUDIT_VERIFY_KEY:
        return []
    return [
        Warning(
            "Audit checkpoints are not configured: someone who can lift the audit table's "
            "triggers can rewrite it unnoticed.",
            hint="Make a key with `manage.py audit keygen`; set WAYFINDER_AUDIT_SIGNING_KEY_FILE "
            "where `manage.py db_worker` runs and WAYFINDER_AUDIT_VERIFY_KEY elsewhere.",
            id="audit.W001",
        )
    ]
