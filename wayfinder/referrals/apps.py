from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "wayfinder.referrals"
    label = "referrals"
    # The value sets of the FHIR resources this app emits, declared to interop.valuesets.
    fhir_value_sets = "wayfinder.referrals.fhir.value_sets"
    verbose_name = _("Referrals")
    nav_items = [(40, "referral_inbox", _("Referrals"), lambda actor: actor.is_casework)]
    # The people app renders these: dashboard (request) and person page (request, access).
    dashboard_panels = ["wayfinder.referrals.panels.inbox_panel"]
    person_panels = ["wayfinder.referrals.panels.person_panel"]
    # Called by consent.actions.revoke_consent inside its transaction: (consent, *, actor).
    consent_revoked = ["wayfinder.referrals.actions.transitions.hold_for_withdrawn_consent"]
    # Read by plans.assignees: agencies with an open referral may be given plan steps.
    plan_agencies = ["wayfinder.referrals.queries.open_referral_agency_ids"]
