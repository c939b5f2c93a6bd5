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
    # The public pages (/f/: the code, the survey, thanks, feedback about Wayfinder) speak the
    # ten languages (docs/languages.md); the survey's own words are in its instrument files.
    survivor_templates = [
        "feedback/public_base.html",
        "feedback/code_entry.html",
        "feedback/code_unusable.html",
        "feedback/survey.html",
        "feedback/done.html",
        "feedback/about_wayfinder.html",
        "feedback/about_wayfinder_done.html",
    ]
    survivor_messages = [
        "wayfinder.feedback.models.Sender",
        "wayfinder.feedback.actions.SURVIVOR_MESSAGES",
    ]
