from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wayfinder.core"
    label = "core"

    def ready(self):
        # In ready(): checks read settings and the keystore models once the registry is loaded.
        from wayfinder.core import checks  # noqa: F401  (registers system checks)
