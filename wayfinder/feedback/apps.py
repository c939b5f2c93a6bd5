from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _sees_results(actor) -> bool:
    return actor.is_agency_admin or actor.is_network_admin


class FeedbackConfig(AppConfig):
    name = "wayfinder.feedback"
    label = "feedback"
    verbose_name = _("Feedback")
    nav_items = [(60, "feedback:results", _("Feedback"), _sees_results)]
