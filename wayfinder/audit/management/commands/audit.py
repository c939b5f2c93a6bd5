import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from wayfinder.audit import checkpoints, tasks


class Command(BaseCommand):
    help = (
        "Audit trail tools. 'verify' checks the hash chain and the signed checkpoints; "
        "'checkpoint' signs the head; 'schedule' starts the periodic checkpoint task; "
        "'keygen' makes a signing key; 'public-key' prints the configured key's public half."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="check the chain and its signed checkpoints")
        verify.add_argument(
            "--witness",
            type=Path,
            action="append",
            default=[],
            help="a witness file (or a log extract) whose checkpoints to check too; repeatable",
        )
        checkpoint = sub.add_parser("checkpoint", help="sign the current head now")
        checkpoint.add_argument(
            "--force", action="store_true", help="sign even if nothing was appended since the last"
        )
        sub.add_parser("schedule", help="enqueue the periodic checkpoint task (idempotent)")
        keygen = sub.add_parser("keygen", help="make a new Ed25519 signing key")
        keygen.add_argument(
            "--out", type=Path, help="write the private key to this new file (mode 600)"
        )
        sub.add_parser("public-key", help="print the public key of the configured signing key")

    def handle(self, *args, subcommand, **options):
        try:
            getattr(self, "do_" + subcommand.replace("-", "_"))(**options)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None

    # --- verify ----------------------------------------------------------------------------------

    def do_verify(self, witness, **options):
        entries = []
        for path in witness:
            try:
                found, other = checkpoints.read_witness(path)
            except OSError as exc:
                raise CommandError(f"cannot read the witness {path}: {exc}") from None
            self.stdout.write(
                f"Witness {path}: {len(found)} checkpoint line(s), {other} other line(s)."
            )
            entries.extend(found)
        if witness and not checkpoints.verify_keys():
            raise CommandError(
                "--witness needs WAYFINDER_AUDIT_VERIFY_KEY or WAYFINDER_AUDIT_SIGNING_KEY"
            )
        report = checkpoints.verify(entries if witness else None)
        chain = report.chain
        if not report.configured:
            self.stdout.write(
                "Signed checkpoints are not configured (no WAYFINDER_AUDIT_VERIFY_KEY or "
                "WAYFINDER_AUDIT_SIGNING_KEY): a rewrite with recomputed hashes would not show."
            )
        for note in report.notes:
            self.stdout.write(f"Note: {note}")
        if report.ok:
            if report.configured:
                last = report.last_good
                self.stdout.write(
                    f"Checkpoints intact: {report.checkpoints} verified"
                    + (f"; the latest is {last.describe()}." if last else ".")
                )
            self.stdout.write(
                self.style.SUCCESS(f"Audit chain intact: {chain.checked} events verified.")
            )
            return
        if chain.ok:
            head = (
                f"Audit chain BROKEN: the {chain.checked} events agree with each other, "
                "but not with the signed checkpoints."
            )
        else:
            head = (
                f"Audit chain BROKEN at event #{chain.broken_seq}: {chain.reason} "
                f"({chain.checked} events before it verified)."
            )
        lines = list(report.breaks)
        if report.configured:
            good = report.last_good
            lines.append(
                f"Last good checkpoint: {good.describe()}; the chain up to event #{good.seq} "
                "is as signed."
                if good
                else "Last good checkpoint: none."
            )
        raise CommandError("\n  ".join([head, *lines]))

    # --- checkpoint ------------------------------------------------------------------------------

    def do_checkpoint(self, force, **options):
        try:
            cp = checkpoints.create_checkpoint(force=force)
        except checkpoints.NotConfigured as exc:
            raise CommandError(
                f"Audit checkpoints are not configured: {exc}. Make a key with "
                "`manage.py audit keygen`."
            ) from None
        except checkpoints.ChainBroken as exc:
            raise CommandError(f"Nothing signed: {exc}. Run `manage.py audit verify`.") from None
        except OSError as exc:  # the witness; the checkpoint itself is committed
            raise CommandError(
                f"Checkpoint stored, but the witness was not written: {exc}"
            ) from None
        if cp is None:
            self.stdout.write("Nothing new since the last checkpoint; nothing signed.")
            return
        self.stdout.write(self.style.SUCCESS(f"Signed {cp.describe()} with key {cp.kid}."))

    def do_schedule(self, **options):
        if checkpoints.signing_key() is None:
            raise CommandError(
                "Audit checkpoints are not configured: set WAYFINDER_AUDIT_SIGNING_KEY (or _FILE) "
                "where `manage.py db_worker` runs."
            )
        if tasks.schedule():
            self.stdout.write(
                self.style.SUCCESS(
                    "Checkpoint task enqueued; `manage.py db_worker` runs it now and then every "
                    "WAYFINDER_AUDIT_CHECKPOINT_MINUTES."
                )
            )
        else:
            self.stdout.write("The checkpoint task is already scheduled.")

    # --- keys ------------------------------------------------------------------------------------

    def do_keygen(self, out, **options):
        private, public, kid = checkpoints.generate_key()
        if out:
            try:
                fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except OSError as exc:
                raise CommandError(f"cannot create {out}: {exc}") from None
            with os.fdopen(fd, "w") as fh:
                fh.write(private + "\n")
            self.stdout.write(
                f"Private key written to {out}: WAYFINDER_AUDIT_SIGNING_KEY_FILE={out}"
            )
        else:
            self.stdout.write(f"WAYFINDER_AUDIT_SIGNING_KEY={private}")
        self.stdout.write(f"WAYFINDER_AUDIT_VERIFY_KEY={public}")
        self.stdout.write(f"Key id: {kid}")

    def do_public_key(self, **options):
        key = checkpoints.signing_key()
        if key is None:
            raise CommandError("WAYFINDER_AUDIT_SIGNING_KEY (or _FILE) is not set")
        public = key.public_key()
        self.stdout.write(f"WAYFINDER_AUDIT_VERIFY_KEY={checkpoints.public_key_text(public)}")
        self.stdout.write(f"Key id: {checkpoints.key_id(public)}")
