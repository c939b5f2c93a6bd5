from django.core.management.base import BaseCommand

from wayfinder.core import crypto


class Command(BaseCommand):
    help = (
        "Re-wrap every person's data key with the first key in WAYFINDER_KEK. To rotate: put a new "
        "key first (keep the old one after it), run this, then remove the old key. "
        "'--generate ID' prints a new key entry."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--generate", metavar="KEY_ID", help="Print a new 'id:base64' KEK entry and exit."
        )

    def handle(self, *args, generate=None, **options):
        if generate:
            self.stdout.write(crypto.generate_kek_entry(generate))
            return
        count = crypto.rewrap_all_data_keys()
        primary, _ring = crypto.kek_ring()
        self.stdout.write(
            self.style.SUCCESS(f"Re-wrapped {count} data key(s) with KEK {primary!r}.")
        )
