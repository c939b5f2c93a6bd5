from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _sees_feedback(actor) -> bool:
    """Admins see the results; casework staff print survey cards (the page sends them there)."""
    return actor.is_agency_admin or actor.is_network_admin or actor.is_casework


class FeedbackConfig(AppConfig):
    name = "wayfinder.feedback"
    label = "feedback"
    verbose_name = _("Feedback")
    nav_items = [(60, "feedback:results", _("Feedback"), _sees_feedback)]
