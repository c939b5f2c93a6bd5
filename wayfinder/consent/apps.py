from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "wayfinder.consent"
    label = "consent"
    verbose_name = _("Consent")
    # Rendered on the person's page by the people app: (request, access) -> dict | None.
    person_panels = ["wayfinder.consent.panels.person_panel"]
