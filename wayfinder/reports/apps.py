from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "wayfinder.reports"
    label = "reports"
    verbose_name = _("Reports")
    # Aggregates only: analysts and network admins the network, other staff their agency.
    nav_items = [(80, "reports:dashboard", _("Reports"), lambda actor: bool(actor.roles))]
