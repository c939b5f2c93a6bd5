from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from wayfinder.accounts.demo import DEMO_LOGINS
from wayfinder.accounts.models import Agency
from wayfinder.core.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the fictional demo network (agencies, staff in every role, survivors, services)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if the database has agencies."
        )

    def handle(self, *args, if_empty=False, **options):
        if Agency.objects.exists():
            if if_empty:
                self.stdout.write("Database already has data: demo not loaded.")
                self._print_logins(None)
                return
            self.stderr.write(
                "The database already has agencies; the demo loads only into an empty one."
            )
            return
        net = load_demo(self.stdout)
        self._print_logins(net)

    def _print_logins(self, net):
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo log-ins (password for all: {DEMO_PASSWORD})"))
        for role, email, agency in DEMO_LOGINS:
            self.stdout.write(f"  {role:<28} {email:<36} {agency}")
        # Apps add their own demo sign-ins (the survivor portal's printed door number and PIN).
        for app in apps.get_app_configs():
            for path in getattr(app, "demo_logins", ()):
                label, who, secret = import_string(path)
                self.stdout.write(f"  {label:<28} {who:<36} {secret}")
        self.stdout.write("")
