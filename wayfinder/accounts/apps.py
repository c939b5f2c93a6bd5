from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wayfinder.accounts"
    label = "accounts"

    def ready(self):
        from wayfinder.accounts import receivers  # noqa: F401  (sign-in and MFA audit events)
