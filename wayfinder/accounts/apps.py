from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "wayfinder.accounts"
    label = "accounts"
    nav_items = [
        (
            80,
            "staff_list",
            _("Staff"),
            lambda actor: actor.is_agency_admin or actor.is_network_admin,
        ),
        (90, "agency_list", _("Agencies"), lambda actor: actor.is_network_admin),
    ]

    def ready(self):
        # In ready(): the receivers import models, which exist only once the registry is loaded.
        from wayfinder.accounts import receivers  # noqa: F401  (sign-in and MFA audit events)
