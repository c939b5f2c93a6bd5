"""Panels from other apps on the dashboard and on a person's page.

An app adds panels with AppConfig attributes holding dotted paths to functions:

- ``dashboard_panels``: ``panel(request) -> dict | None``;
- ``person_panels``: ``panel(request, access) -> dict | None``, called after the gate with the
  viewer's ``Access`` (a panel shows only what ``access.categories`` allow).

A panel returns ``None`` when it has nothing for this viewer, or
``{"template": "app/panel.html", "context": {...}}`` (optionally ``"order"``, default 100). The
template is included with the ``context`` keys as variables, and starts with an ``<h2>``. A panel
with ``"alert": True`` is an urgent banner: the page shows it first, right under its heading.
A person panel with a ``"title"`` (its heading's words) and an ``"anchor"`` (its section's id) is
listed under "On this page", a link to it.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.module_loading import import_string


def _collect(attribute: str, *args) -> list[dict]:
    panels = []
    for app in apps.get_app_configs():
        for path in getattr(app, attribute, ()):
            panel = import_string(path)(*args)
            if panel is not None:
                panels.append(panel)
    return sorted(panels, key=lambda p: p.get("order", 100))


def dashboard_panels(request) -> list[dict]:
    return _collect("dashboard_panels", request)


def person_panels(request, access) -> list[dict]:
    return _collect("person_panels", request, access)
