from django.core.management.base import BaseCommand, CommandError

from wayfinder.core import crypto
from wayfinder.people import keyrotation


class Command(BaseCommand):
    help = (
        "Re-wrap every person's data key with the first key in WAYFINDER_KEK, rewrite the "
        "keystore's files, and name the old KEK ids to remove. This is what makes forgets final: "
        "put a new key first (keep the old ones after it), run this, then remove the old ids. "
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
        try:
            report = keyrotation.rotate_keys()
        except keyrotation.RotationRefused as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Re-wrapped {report.rewrapped} data key(s) with KEK {report.primary!r}; "
                "the keystore's files were rewritten."
            )
        )
        if not report.checkpoint_done:
            self.stdout.write(
                "CHECKPOINT needs a superuser or the pg_checkpoint role: run it on the keystore "
                "database, or wait for the next automatic checkpoint."
            )
        if report.remove:
            ids = ", ".join(repr(k) for k in report.remove)
            self.stdout.write(
                self.style.WARNING(
                    f"Now remove KEK id(s) {ids} from WAYFINDER_KEK and destroy every copy of "
                    f"them. {report.final_once_removed} forget(s) become final when they are gone. "
                    "Backups sealed with those keys cannot be opened after that: take new backups "
                    "(manage.py backup, and --keystore) once this key is the only one."
                )
            )
        if report.still_pending:
            self.stdout.write(
                self.style.WARNING(
                    f"{report.still_pending} forget(s) happened after KEK {report.primary!r} was "
                    "first used: they need the next rotation, to a new key."
                )
            )
