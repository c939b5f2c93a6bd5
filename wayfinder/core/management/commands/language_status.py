"""What each interface language has: survivor msgids translated, catalogue review status, and
the instruments offered in it (docs/languages.md)."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string
from django.utils.translation import to_locale

from wayfinder.core.survivor import missing_msgids, survivor_msgids

STATUS = re.compile(r'"X-Translation-Status: (\w+)\\n"')


def catalogue_statuses(language: str) -> dict[str, str]:
    """{catalogue path: status} for every catalogue of ours in ``language``."""
    roots = [Path(p) for p in settings.LOCALE_PATHS]
    roots += [
        Path(c.path) / "locale" for c in apps.get_app_configs() if c.name.startswith("wayfinder")
    ]
    found = {}
    for root in roots:
        po = root / to_locale(language) / "LC_MESSAGES" / "django.po"
        if po.exists():
            head = po.read_text(encoding="utf-8").split("\n\n")[0]
            m = STATUS.search(head)
            found[str(po.relative_to(settings.BASE_DIR))] = m.group(1) if m else "unmarked"
    return found


class Command(BaseCommand):
    help = "Report each language's survivor-facing coverage and review status."

    def add_arguments(self, parser):
        parser.add_argument("languages", nargs="*", help="interface codes (default: all)")

    def handle(self, *args, languages=(), **options) -> None:
        # Apps say what else they offer per language (assessments: its instruments).
        offered: dict[str, list[str]] = {}
        for config in apps.get_app_configs():
            hook = getattr(config, "language_offers", None)
            if hook:
                for lang, names in import_string(hook)().items():
                    offered.setdefault(lang, []).extend(names)
        total = len(survivor_msgids())
        for code, name in settings.LANGUAGES:
            if languages and code not in languages:
                continue
            missing = missing_msgids(code)
            self.stdout.write(f"{code} ({name}): {total - len(missing)}/{total} survivor messages")
            for msgid in missing:
                self.stdout.write(f"  missing: {msgid!r}")
            for path, status in catalogue_statuses(code).items():
                self.stdout.write(f"  {status}: {path}")
            self.stdout.write(f"  instruments: {', '.join(sorted(offered.get(code, []))) or '-'}")
