from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    name = "wayfinder.conferences"
    label = "conferences"
    verbose_name = _("Case conferences")
    nav_items = [
        (45, "conferences:meetings", _("Meetings"), lambda actor: actor.agency is not None)
    ]
    dashboard_panels = [
        "wayfinder.conferences.panels.next_meeting",
        "wayfinder.conferences.panels.tasks",
    ]
