from django.core.management.base import BaseCommand, CommandError

from wayfinder.audit.events import verify


class Command(BaseCommand):
    help = "Audit trail tools. 'audit verify' checks that the hash chain is intact."

    def add_arguments(self, parser):
        parser.add_argument("subcommand", choices=["verify"])

    def handle(self, *args, **options):
        result = verify()
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(f"Audit chain intact: {result.checked} events verified.")
            )
            return
        raise CommandError(
            f"Audit chain BROKEN at event #{result.broken_seq}: {result.reason} "
            f"({result.checked} events before it verified)."
        )
