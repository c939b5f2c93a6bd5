"""``manage.py error_codes``: the table of error codes in ``docs/api.md``, written from the code.

``--check`` fails (exit 1) when the document is out of date; a test runs it, so a new code
cannot ship undocumented.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wayfinder.core.errors import CommonErrorCode, all_error_codes

DOC = Path(settings.BASE_DIR) / "docs" / "api.md"
START = "<!-- error-codes:start (written by `manage.py error_codes`; do not edit) -->"
END = "<!-- error-codes:end -->"


def table() -> str:
    """One row per code and app, the shared codes first; the label is the meaning."""
    rows = ["| code | app | meaning |", "|---|---|---|"]
    for choices in sorted(all_error_codes(), key=lambda c: c is not CommonErrorCode):
        app = "any" if choices is CommonErrorCode else choices.__module__.split(".")[1]
        for member in sorted(choices, key=lambda m: m.value):
            rows.append(f"| `{member.value}` | {app} | {member.label} |")
    return "\n".join(rows)


def render(text: str) -> str:
    """``text`` with the part between the markers replaced by the current table."""
    if START not in text or END not in text:
        raise CommandError(f"{DOC.name} has no error-codes markers")
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    return f"{head}{START}\n{table()}\n{END}{tail}"


class Command(BaseCommand):
    help = "Write the error-code table into docs/api.md (--check: fail if it is out of date)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only check; write nothing.")

    def handle(self, *args, check=False, **options):
        text = DOC.read_text()
        wanted = render(text)
        if wanted == text:
            self.stdout.write("docs/api.md: the error codes are up to date.")
            return
        if check:
            raise CommandError("docs/api.md is out of date: run `manage.py error_codes`.")
        DOC.write_text(wanted)
        self.stdout.write("docs/api.md: error codes written.")
