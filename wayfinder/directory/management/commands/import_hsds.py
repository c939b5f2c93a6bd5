from django.core.management.base import BaseCommand, CommandError

from wayfinder.directory.actions import import_hsds
from wayfinder.directory.hsds import io as hsds_io


class Command(BaseCommand):
    help = (
        "Import Open Referral HSDS 3.0 data: a JSON file (one object, a list, or a paged API "
        "response), a CSV folder (with or without datapackage.json), or a ZIP of either. "
        "Matched on ids; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="file, folder or .zip")
        parser.add_argument("--dry-run", action="store_true", help="validate only; write nothing")

    def handle(self, *args, path, dry_run=False, **options):
        try:
            files = hsds_io.read_path(path)
            if dry_run:
                plan = hsds_io.plan_import(files)
                self._warnings(plan.all_warnings())
                counts = ", ".join(f"{t}: {n}" for t, n in sorted(plan.counts().items()))
                self.stdout.write(self.style.SUCCESS(f"Valid HSDS. Would import {counts}."))
                return
            result = import_hsds(files, actor=None, source=str(path))
        except hsds_io.HsdsImportError as exc:
            for issue in exc.errors:
                self.stderr.write(str(issue))
            raise CommandError(
                f"Not imported: {len(exc.errors)} error(s) in {path}. Nothing was changed."
            ) from None
        self._warnings(result.warnings)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {path}: {result.total_created} created, {result.total_updated} "
                f"updated, {result.total_unchanged} unchanged."
            )
        )

    def _warnings(self, warnings):
        for w in warnings:
            self.stdout.write(self.style.WARNING(f"warning: {w}"))
