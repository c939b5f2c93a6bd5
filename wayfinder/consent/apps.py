from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "wayfinder.consent"
    label = "consent"
    verbose_name = _("Consent")
    # The words the person reads and signs (wayfinder.core.survivor; docs/languages.md).
    survivor_templates = ["consent/_form_text.html", "consent/print.html"]
    survivor_messages = [
        "wayfinder.consent.wording.PERSON_CATEGORY_LABELS",
        "wayfinder.consent.models.Purpose",
    ]
    # Rendered on the person's page by the people app: (request, access) -> dict | None.
    person_panels = ["wayfinder.consent.panels.person_panel"]
