"""System checks of the people app: a forget is final only once the KEK that wrapped it is gone."""

from django.core.checks import Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from wayfinder.people import keyrotation


@register(Tags.database)
def wayfinder_forget_checks(app_configs, databases=None, **kwargs):
    """Forgets are final only after a KEK rotation: say so while one is due (``check --database``)."""
    if not databases or not {"default", "keystore"} <= set(databases):
        return []
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
