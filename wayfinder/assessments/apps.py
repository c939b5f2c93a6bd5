from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "wayfinder.assessments"
    label = "assessments"
    # The value sets of the FHIR resources this app emits, declared to interop.valuesets.
    fhir_value_sets = "wayfinder.assessments.fhir.value_sets"
    verbose_name = _("Assessments")
    # What a survivor reads in hand-over mode (wayfinder.core.survivor; docs/languages.md).
    survivor_templates = [
        "assessments/handover_base.html",
        "assessments/section.html",
        "assessments/_item.html",
        "assessments/_progress.html",
        "assessments/_helplines.html",
        "assessments/crisis.html",
        "assessments/break.html",
        "assessments/thanks.html",
    ]
    survivor_messages = ["wayfinder.assessments.forms.SURVIVOR_MESSAGES"]
    # The instruments' own texts in a language (wayfinder.core.fonts subsets the fonts to them).
    survivor_texts = "wayfinder.assessments.instruments.texts_in"
    # {language: instruments offered in it}, for manage.py language_status.
    language_offers = "wayfinder.assessments.instruments.language_offers"
    # (order, url name, label, who may see it): gathered into the main navigation.
    nav_items = [(40, "assessments:index", _("Assessments"), lambda actor: actor.is_casework)]
    # Contributed to the person detail page: function(request, access) -> {"template", "context"}.
    # An "alert" panel (open safety flags) shows at the top of the page as an urgent banner.
    person_panels = [
        "wayfinder.assessments.panels.safety_panel",
        "wayfinder.assessments.panels.person_panel",
    ]
    # Contributed to the dashboard: function(request) -> {"template", "context"} | None.
    dashboard_panels = [
        "wayfinder.assessments.panels.flags_panel",
        "wayfinder.assessments.panels.dashboard_panel",
    ]

    def ready(self):
        # Fail at start-up, not on a survivor's first page, if a shipped instrument is broken.
        from wayfinder.assessments.instruments import registry

        registry()
