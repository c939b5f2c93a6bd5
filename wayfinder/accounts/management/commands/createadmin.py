from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from wayfinder.accounts.actions import add_member, create_agency, invitation_url
from wayfinder.accounts.models import Agency, AgencyKind, Role


class Command(BaseCommand):
    help = (
        "Bootstrap a new installation: make the first network administrator (and their agency) "
        "and e-mail them an invitation to choose a password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--agency", required=True, help="agency name; made if it is new")
        parser.add_argument("--kind", default=AgencyKind.LEAD, choices=AgencyKind.values)
        parser.add_argument("--name", default="", help="display name")
        parser.add_argument(
            "--print-link",
            action="store_true",
            help="also print the set-password link (when e-mail is not set up yet)",
        )

    def handle(self, *args, email, agency, kind, name, print_link, **options):
        try:
            with transaction.atomic():
                found = Agency.objects.filter(name__iexact=agency.strip()).first()
                target = found or create_agency(actor=None, name=agency, kind=kind)
                membership = add_member(
                    actor=None,
                    agency=target,
                    email=email,
                    role=Role.NETWORK_ADMIN,
                    display_name=name,
                )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        user = membership.user
        self.stdout.write(
            self.style.SUCCESS(f"{user.email} is a network administrator at {target.name}.")
        )
        if user.has_usable_password():
            return
        self.stdout.write("An invitation to choose a password was e-mailed to them.")
        if print_link:
            self.stdout.write(f"Set-password link: {invitation_url(user)}")
