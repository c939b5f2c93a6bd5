from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from wayfinder.accounts.actor import actor_for
from wayfinder.accounts.models import User
from wayfinder.people.actions import forget_person
from wayfinder.people.models import Person


class Command(BaseCommand):
    help = "Forget a person (crypto-shred). Needs an agency admin of the owning agency and the typed record code."

    def add_arguments(self, parser):
        parser.add_argument("pseudonym", help="The record code, e.g. WF-7K3Q-9D")
        parser.add_argument(
            "--admin", required=True, help="E-mail of an agency admin of the owning agency"
        )
        parser.add_argument("--confirm", help="Type the record code again (asked for if omitted)")

    def handle(self, *args, pseudonym, admin, confirm=None, **options):
        person = Person.objects.filter(
            pseudonym=pseudonym.strip().upper(), forgotten_at__isnull=True
        ).first()
        user = User.objects.filter(email__iexact=admin, is_active=True).first()
        if person is None or user is None:
            raise CommandError("No such active record, or no such admin.")
        if confirm is None:
            confirm = input(
                f"This cannot be undone. Type {person.pseudonym} to forget this person: "
            )
        actor = actor_for(user, person.owner_agency, via="command")
        try:
            forget_person(person, actor=actor, confirmation=confirm)
        except PermissionDenied:
            raise CommandError("That user is not an agency admin of the owning agency.") from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(f"{person.pseudonym} forgotten: the data key is destroyed.")
        )
