from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "wayfinder.matching"
    label = "matching"
    person_panels = ["wayfinder.matching.panels.person_panel"]
    # A partner's own services with the two-click capacity update (directory/browse/views.py).
    dashboard_panels = ["wayfinder.directory.browse.views.capacity_panel"]
    # The directory's pages: open to every signed-in member (and to the public when
    # WAYFINDER_DIRECTORY_PUBLIC is on).
    nav_items = [(40, "directory:browse", _("Directory"), lambda actor: True)]
