from django.core.management.base import BaseCommand

from wayfinder.people.actions import reindex_names


class Command(BaseCommand):
    help = (
        "Rebuild the blind indexes (name tokens, name prefixes, date of birth) of every person "
        "whose record can still be read. Run once after upgrading to prefix name search."
    )

    def handle(self, *args, **options):
        count = reindex_names()
        self.stdout.write(f"Re-indexed {count} person(s).")
