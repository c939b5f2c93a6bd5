from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _trains(actor) -> bool:
    # Imported here: the app registry is not ready when this module is read.
    from wayfinder.prevention.queries import can_train

    return can_train(actor)


class PreventionConfig(AppConfig):
    name = "wayfinder.prevention"
    label = "prevention"
    verbose_name = _("Prevention")
    nav_items = [(60, "prevention:home", _("Prevention"), _trains)]
