from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "wayfinder.audit"
    label = "audit"
