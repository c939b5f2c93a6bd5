from django.apps import AppConfig


class KeystoreConfig(AppConfig):
    name = "wayfinder.keystore"
    label = "keystore"
    verbose_name = "Keystore (per-person data keys and blind indexes)"
