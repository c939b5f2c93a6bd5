from pathlib import Path

from django.core.management.base import BaseCommand

from wayfinder.core import backup


class Command(BaseCommand):
    help = "Write an encrypted backup of the main database (never the keys), or of the keystore."

    def add_arguments(self, parser):
        parser.add_argument("output", type=Path)
        parser.add_argument(
            "--keystore",
            action="store_true",
            help="Back up the keystore instead (keep these on a short retention).",
        )

    def handle(self, *args, output: Path, keystore: bool, **options):
        blob = backup.dump_keystore() if keystore else backup.dump_main()
        output.write_bytes(blob)
        output.chmod(0o600)
        kind = "keystore" if keystore else "main database"
        self.stdout.write(
            self.style.SUCCESS(f"Encrypted {kind} backup written: {output} ({len(blob)} bytes)")
        )
