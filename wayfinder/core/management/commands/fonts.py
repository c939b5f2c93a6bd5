"""Regenerate static/fonts/: Noto subsets for the interface languages' scripts, and fonts.css."""

from django.core.management.base import BaseCommand, CommandError

from wayfinder.core import fonts


class Command(BaseCommand):
    help = "Subset the system's Noto fonts to the characters Wayfinder shows (static/fonts/)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="only report characters no served font draws"
        )

    def handle(self, *args, check=False, **options):
        if not check:
            try:
                written = fonts.build()
            except FileNotFoundError as exc:
                raise CommandError(str(exc)) from None
            for path in written:
                self.stdout.write(f"{path.name}: {path.stat().st_size // 1024} KiB")
        bad = {lang: fonts.missing_glyphs(lang) for lang in fonts.STACKS}
        bad = {lang: chars for lang, chars in bad.items() if chars}
        for lang, chars in bad.items():
            self.stderr.write(f"{lang}: no glyph for {chars!r}")
        if bad:
            raise CommandError("some characters have no glyph in the served fonts")
        self.stdout.write("every character has a glyph")
