"""Dashboard panels from other apps.

An app adds panels to the dashboard with an AppConfig attribute ``dashboard_panels``: a list of
dotted paths to functions ``panel(request) -> dict | None``. A panel returns ``None`` when it has
nothing for this user, or ``{"template": "app/panel.html", "context": {...}}`` (optionally
``"order"``, default 100). The template is included with the ``context`` keys as variables, and
should start with an ``<h2>``.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.module_loading import import_string


def dashboard_panels(request) -> list[dict]:
    panels = []
    for app in apps.get_app_configs():
        for path in getattr(app, "dashboard_panels", ()):
            panel = import_string(path)(request)
            if panel is not None:
                panels.append(panel)
    return sorted(panels, key=lambda p: p.get("order", 100))
