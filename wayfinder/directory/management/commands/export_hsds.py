from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wayfinder.directory.actions import export_hsds
from wayfinder.directory.hsds import io as hsds_io


class Command(BaseCommand):
    help = (
        "Export the directory as Open Referral HSDS 3.0: --format json (full objects: "
        "organizations.json, services.json, locations.json, taxonomies.json, taxonomy_terms.json) "
        "or --format csv (one CSV per table plus datapackage.json). OUT is a folder, or a .zip. "
        "Capacity and internal notes are never exported."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="output folder (created if missing) or file ending in .zip")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, out, format, **options):
        files = export_hsds(format, actor=None)
        target = Path(out)
        if target.suffix.lower() == ".zip":
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(hsds_io.to_zip(files))
        else:
            if target.exists() and not target.is_dir():
                raise CommandError(f"{target} exists and is not a folder.")
            target.mkdir(parents=True, exist_ok=True)
            for name, data in files.items():
                (target / name).write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"Exported {len(files)} file(s) to {target}."))
