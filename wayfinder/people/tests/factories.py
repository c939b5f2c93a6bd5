"""Persons for tests, taken in with the real action."""

from datetime import date

from wayfinder.people.actions import create_person
from wayfinder.people.models import Identity


def take_in(actor, name: str, dob: date | None = None, **plain):
    return create_person(
        actor=actor, identity=Identity(chosen_name=name, date_of_birth=dob), **plain
    )
