from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "wayfinder.assessments"
    label = "assessments"
