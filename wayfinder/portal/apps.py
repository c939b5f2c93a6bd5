from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "wayfinder.portal"
    label = "portal"
    verbose_name = _("Survivor portal")
    person_panels = ["wayfinder.portal.panels.person_panel"]
    demo_logins = ["wayfinder.portal.demo.DEMO_LOGIN"]
    # Every page the person sees at /my/ speaks the ten languages (docs/languages.md); the
    # invitation and the person panel are staff pages.
    survivor_templates = [
        "portal/base.html",
        "portal/signin.html",
        "portal/start.html",
        "portal/choose.html",
        "portal/recovery_sheet.html",
        "portal/recover.html",
        "portal/home.html",
        "portal/plan.html",
        "portal/_notes.html",
        "portal/sharing.html",
        "portal/looked.html",
        "portal/referrals.html",
        "portal/checkins.html",
        "portal/checkin.html",
        "portal/checkin_help.html",
        "portal/preferences.html",
        "portal/locked.html",
    ]
    survivor_messages = [
        "wayfinder.portal.wording.WHAT",
        "wayfinder.portal.wording.REFERRAL_STATUS",
        "wayfinder.portal.wording.PERSON_MESSAGES",
        "wayfinder.referrals.models.SurvivorConfirmation",  # "Did you get the help?"
    ]
