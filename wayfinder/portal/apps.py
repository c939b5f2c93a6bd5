from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "wayfinder.portal"
    label = "portal"
    verbose_name = _("Survivor portal")
    person_panels = ["wayfinder.portal.panels.person_panel"]
    demo_logins = ["wayfinder.portal.demo.DEMO_LOGIN"]
