from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "wayfinder.audit"
    label = "audit"

    def ready(self):
        from wayfinder.audit import checks  # noqa: F401  (registers the system checks)
