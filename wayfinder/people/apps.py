from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "wayfinder.people"
    label = "people"
    # (order, url name, label, who may see it): gathered into the main navigation.
    nav_items = [
        (10, "dashboard", _("Dashboard"), lambda actor: True),
        (20, "person_list", _("People"), lambda actor: actor.is_casework),
    ]

    def ready(self):
        # In ready(): the checks read the keystore models once the registry is loaded.
        from wayfinder.people import checks  # noqa: F401  (registers system checks)
