from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "wayfinder.delivery"
    label = "delivery"
    verbose_name = _("Services delivered")
    person_panels = ["wayfinder.delivery.panels.person_panel"]
