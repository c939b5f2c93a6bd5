from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "wayfinder.plans"
    label = "plans"
    verbose_name = _("Plans")
    dashboard_panels = ["wayfinder.plans.panels.overdue_steps"]
    person_panels = ["wayfinder.plans.panels.person_panel"]
