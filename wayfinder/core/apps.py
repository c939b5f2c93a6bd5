from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wayfinder.core"
    label = "core"

    def ready(self):
        from wayfinder.core import checks  # noqa: F401  (registers system checks)
