from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "wayfinder.directory"
    label = "directory"
