"""Blank trainees' identities once their session is older than WAYFINDER_TRAINEE_RETENTION_DAYS."""

from django.core.management.base import BaseCommand

from wayfinder.prevention.actions import purge_trainees


class Command(BaseCommand):
    help = (
        "Purge trainee names, e-mails and organisations after the retention period (counts stay)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="override the retention days")

    def handle(self, *args, days=None, **options):
        n = purge_trainees(days=days)
        self.stdout.write(f"purged {n} trainee(s)")
