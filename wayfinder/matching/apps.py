from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "wayfinder.matching"
    label = "matching"
