from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wayfinder.core import backup


class Command(BaseCommand):
    help = "Restore an encrypted backup into an empty, migrated database (main or --keystore)."

    def add_arguments(self, parser):
        parser.add_argument("input", type=Path)
        parser.add_argument("--keystore", action="store_true")

    def handle(self, *args, input: Path, keystore: bool, **options):
        try:
            blob = input.read_bytes()
            if keystore:
                count, forgotten = backup.restore_keystore(blob)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Restored {count} keystore rows; re-applied {forgotten} forget(s)."
                    )
                )
            else:
                count = backup.restore_main(blob)
                self.stdout.write(
                    self.style.SUCCESS(f"Restored {count} rows into the main database.")
                )
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from None
