"""The REST API: /api/v1/…, OpenAPI at /api/openapi.json, docs at /api/docs.

Each app that has an ``api.py`` with ``router`` (and ``prefix``, e.g. ``"persons"``) is mounted
at ``/api/v1/<prefix>/`` — no central list to edit.
"""

import importlib

from django.apps import apps
from django.urls import path
from ninja import NinjaAPI

from wayfinder.api import errors
from wayfinder.api.auth import TokenAuth

api = NinjaAPI(
    title="Wayfinder API",
    version="1",
    description="Survivor-centred coordination across a multidisciplinary team. Every read goes "
    "through the same access rules as the web pages; refused and unknown objects are both 404.",
    auth=TokenAuth(),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
errors.install(api)

for app in sorted(apps.get_app_configs(), key=lambda a: a.label):
    if not app.name.startswith("wayfinder."):
        continue
    try:
        module = importlib.import_module(f"{app.name}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"{app.name}.api":
            raise
        continue
    if hasattr(module, "router"):
        api.add_router(f"/v1/{module.prefix}/", module.router)

urlpatterns = [path("", api.urls)]
