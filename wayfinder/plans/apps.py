from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "wayfinder.plans"
    label = "plans"
    verbose_name = _("Plans")
    # The printed plan is the person's (wayfinder.core.survivor; docs/languages.md).
    survivor_templates = ["plans/print.html"]
    survivor_messages = [
        "wayfinder.plans.models.Domain",
        "wayfinder.plans.models.GoalStatus",
        "wayfinder.plans.models.StepStatus",
    ]
    dashboard_panels = ["wayfinder.plans.panels.overdue_steps"]
    person_panels = ["wayfinder.plans.panels.person_panel"]
