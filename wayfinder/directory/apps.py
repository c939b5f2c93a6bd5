from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "wayfinder.directory"
    label = "directory"
    nav_items = [
        (70, "directory:import", _("Directory import"), lambda actor: actor.is_network_admin),
    ]
