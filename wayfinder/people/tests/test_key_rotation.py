"""rotate_kek re-wraps every key; it is also what makes forgets final, and it says so."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wayfinder.audit.models import AuditEvent
from wayfinder.core import crypto
from wayfinder.keystore.models import DataKey, Kek
from wayfinder.people import keyrotation
from wayfinder.people.actions import forget_person
from wayfinder.people.checks import wayfinder_forget_checks
from wayfinder.people.models import Person
from wayfinder.people.sealing import identity_of

# rotate_kek rewrites the keystore's files (VACUUM), which cannot run inside a transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def _forget(personas):
    survivor = personas.survivor
    forget_person(survivor, actor=personas.actor(personas.admin_a), confirmation=survivor.pseudonym)


def _check_ids():
    return [m.id for m in wayfinder_forget_checks(None, databases=["default", "keystore"])]


def _run(*args):
    out = []

    class Out:
        def write(self, s):
            out.append(s)

        def flush(self):
            pass

    call_command("rotate_kek", *args, stdout=Out())
    return "".join(out)


def test_rotation_rewraps_and_the_old_key_can_be_dropped(personas, settings):
    survivor = personas.survivor
    new_entry = crypto.generate_kek_entry("t3")
    settings.WAYFINDER_KEK = new_entry + "," + settings.WAYFINDER_KEK
    out = _run()
    assert "Now remove KEK id(s) 't2', 't1'" in out
    assert set(DataKey.objects.values_list("kek_id", flat=True)) == {"t3"}
    settings.WAYFINDER_KEK = new_entry  # the old keys are gone
    assert identity_of(Person.objects.get(pk=survivor.pk)).chosen_name == "Ana Rivera"
    event = AuditEvent.objects.get(action="keystore.rotate")
    assert event.detail == {
        "kek_id": "t3",
        "rewrapped": 1,
        "remove": ["t2", "t1"],
        "final_once_removed": 0,
    }


def test_a_forget_is_pending_until_every_kek_that_saw_the_key_is_gone(personas, settings):
    assert keyrotation.forget_status().pending == 0
    _forget(personas)
    status = keyrotation.forget_status()
    assert (status.pending, status.primary_is_new) == (1, False)
    assert _check_ids() == ["wayfinder.W010"]

    old_ring = settings.WAYFINDER_KEK
    new_entry = crypto.generate_kek_entry("t3")
    settings.WAYFINDER_KEK = new_entry + "," + old_ring
    assert keyrotation.forget_status().primary_is_new  # t3 has wrapped nothing yet
    out = _run()
    assert "1 forget(s) become final when they are gone" in out
    assert keyrotation.forget_status().pending == 1  # t2 and t1 are still configured
    settings.WAYFINDER_KEK = new_entry
    assert keyrotation.forget_status().pending == 0
    assert _check_ids() == []


def test_rotation_to_a_key_that_saw_the_forgotten_key_is_refused(personas, settings):
    _forget(personas)
    with pytest.raises(CommandError, match="Generate a new KEK"):
        _run()
    assert not AuditEvent.objects.filter(action="keystore.rotate").exists()


def test_a_key_in_use_from_before_records_were_kept_counts_as_older_than_any_forget(
    personas, settings
):
    _forget(personas)
    Kek.objects.all().delete()  # a keystore from before this table existed
    settings.WAYFINDER_KEK = crypto.generate_kek_entry("t3") + "," + settings.WAYFINDER_KEK
    _run()
    assert keyrotation.forget_status().pending == 1


def test_retired_keys_still_configured_are_named_by_the_check(personas, settings):
    settings.WAYFINDER_KEK = crypto.generate_kek_entry("t3") + "," + settings.WAYFINDER_KEK
    _run()
    assert keyrotation.forget_status().retired == ("t2", "t1")
    assert _check_ids() == ["wayfinder.W011"]


def test_generate_prints_a_new_entry():
    entry = _run("--generate", "k2027").strip()
    kid, ring = crypto._parse_ring(entry).popitem()
    assert kid == "k2027" and len(ring) == 32


def test_forget_status_probes_each_kek_not_every_key(personas, settings):
    """On every admin's dashboard: one probe of the ``kek_id`` index per KEK of the ring (there
    are a few), never a read of the network's data keys (107 ms at 10^6 persons)."""
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    settings.WAYFINDER_KEK = crypto.generate_kek_entry("t3") + "," + settings.WAYFINDER_KEK
    _primary, ring = crypto.kek_ring()
    with connections["keystore"].cursor() as cur:
        found = connections["keystore"].introspection.get_constraints(cur, DataKey._meta.db_table)
    assert found["datakey_kek"]["columns"] == ["kek_id"]
    with CaptureQueriesContext(connections["keystore"]) as keystore:
        status = keyrotation.forget_status()
    assert status.retired == ("t1",)  # the demo ring's older KEK wraps nothing here
    reads = [q["sql"] for q in keystore.captured_queries if "keystore_datakey" in q["sql"]]
    assert len(reads) == len(ring)
    assert all("DISTINCT" not in sql and "LIMIT 1" in sql for sql in reads), reads
