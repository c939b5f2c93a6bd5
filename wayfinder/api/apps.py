from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "wayfinder.api"
    label = "api"
    nav_items = [(90, "api_tokens", _("API tokens"), lambda actor: actor.agency is not None)]
