from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "wayfinder.interop"
    label = "interop"
