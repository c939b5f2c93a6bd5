"""A forget that fails part-way leaves the person whole: the key goes last.

The data key lives in the keystore database, whose delete commits at once; if it went first, a
failure later in the forget would roll the record back but leave it unreadable for good.
"""

import pytest

from wayfinder.keystore.models import DataKey
from wayfinder.people import actions
from wayfinder.people.models import Person
from wayfinder.people.sealing import identity_of


def test_a_forget_that_fails_before_it_is_recorded_keeps_the_key(personas, monkeypatch):
    person = personas.survivor
    admin = personas.actor(personas.admin_a)

    def broken_record(*args, **kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(actions, "record", broken_record)
    with pytest.raises(RuntimeError):
        actions.forget_person(person, actor=admin, confirmation=person.pseudonym)

    assert DataKey.objects.filter(person_id=person.pk).exists()
    person = Person.objects.get(pk=person.pk)
    assert person.forgotten_at is None
    assert identity_of(person).chosen_name == "Ana Rivera"
