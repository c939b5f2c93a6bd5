from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "wayfinder.people"
    label = "people"
