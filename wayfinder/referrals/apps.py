from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "wayfinder.referrals"
    label = "referrals"
