"""A main-database backup holds no keys: after "forget", the person in it can never be read again."""

import pytest
from django.core.management import call_command

from wayfinder.core import backup, crypto
from wayfinder.people.models import Person


def _survivor_ciphertext(records, person):
    row = next(r for r in records if r["model"] == "people.person" and r["pk"] == str(person.pk))
    import base64

    return base64.b64decode(row["fields"]["identity_ct"])


def test_backup_taken_before_forget_is_unreadable_after_it(personas, tmp_path):
    survivor = personas.survivor
    path = tmp_path / "main.wfbk"
    call_command("backup", str(path))
    blob = path.read_bytes()
    assert b"Rivera" not in blob  # the file itself is encrypted

    ciphertext = _survivor_ciphertext(backup.read_main(blob), survivor)
    # Before forgetting, the backup is a real backup: the person can be read from it.
    assert (
        crypto.decrypt_json(survivor.pk, crypto.data_key(survivor.pk), ciphertext)["chosen_name"]
        == "Ana Rivera"
    )

    call_command(
        "forget_person",
        survivor.pseudonym,
        admin=personas.admin_a.email,
        confirm=survivor.pseudonym,
    )

    with pytest.raises(crypto.KeyDestroyed):
        crypto.data_key(survivor.pk)
    # No key anywhere decrypts the old ciphertext: try every data key that still exists.
    for pid, key in crypto.data_keys(Person.objects.values_list("pk", flat=True)).items():
        with pytest.raises(crypto.DecryptionFailed):
            crypto.decrypt_json(survivor.pk, key, ciphertext)
        assert pid != survivor.pk


def test_restoring_an_old_keystore_backup_reapplies_forget(personas, tmp_path):
    from wayfinder.people.actions import create_person
    from wayfinder.people.models import Identity

    survivor = personas.survivor
    other = create_person(
        actor=personas.actor(personas.navigator_a), identity=Identity(chosen_name="Bo")
    )
    keys_path = tmp_path / "keys.wfbk"
    call_command("backup", str(keys_path), keystore=True)
    call_command(
        "forget_person",
        survivor.pseudonym,
        admin=personas.admin_a.email,
        confirm=survivor.pseudonym,
    )
    from wayfinder.keystore.models import BlindIndex, DataKey

    DataKey.objects.all().delete()
    BlindIndex.objects.all().delete()
    call_command("restore", str(keys_path), keystore=True)
    assert crypto.data_keys([survivor.pk]) == {}
    assert crypto.data_keys([other.pk])  # everyone else is back


def test_forget_needs_the_owning_agency_admin(personas):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command(
            "forget_person",
            personas.survivor.pseudonym,
            admin=personas.navigator_a.email,
            confirm=personas.survivor.pseudonym,
        )
    with pytest.raises(CommandError):
        call_command(
            "forget_person",
            personas.survivor.pseudonym,
            admin=personas.admin_a.email,
            confirm="WF-0000-00",
        )
    assert crypto.data_keys([personas.survivor.pk])
