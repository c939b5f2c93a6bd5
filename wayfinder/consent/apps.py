from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "wayfinder.consent"
    label = "consent"
