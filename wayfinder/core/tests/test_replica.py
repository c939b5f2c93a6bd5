"""The read replica: the directory's read-only pages read it; the gate, sessions, writes and
anything inside a transaction stay on the primary (``DATABASE_REPLICA_URL``, here a test mirror
of the primary: ``TEST: {"MIRROR": "default"}`` in config/settings_test.py)."""

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from wayfinder.core.replica import REPLICA, ReplicaRouter, reading_from_replica
from wayfinder.directory.models import Service
from wayfinder.people.models import Person
from wayfinder.referrals.tests.factories import listing

pytestmark = [
    pytest.mark.django_db(transaction=True, databases="__all__"),
    # The replica is mirrored onto the test database on PostgreSQL only (config/settings_test.py).
    pytest.mark.usefixtures("postgres_only"),
]


def queries_on_each(fn):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        result = fn()
    return result, primary.captured_queries, replica.captured_queries


def tables(queries) -> set[str]:
    return {
        t
        for q in queries
        for t in ("directory_", "people_", "django_session", "audit_")
        if t in q["sql"]
    }


def test_the_replica_is_a_mirror_of_the_primary_in_tests():
    assert connections[REPLICA].settings_dict["TEST"]["MIRROR"] == "default"


def test_router_sends_only_directory_reads_outside_a_transaction():
    router = ReplicaRouter()
    assert router.db_for_read(Service) is None  # not reading from the replica: the default
    with reading_from_replica():
        assert router.db_for_read(Service) == REPLICA
        assert router.db_for_read(Person) is None  # the gate's records: the primary
        assert router.db_for_write(Service) is None
        with transaction.atomic():
            assert router.db_for_read(Service) is None  # a transaction reads the primary
    assert router.allow_migrate(REPLICA, "directory") is False


def test_hsds_and_directory_pages_read_the_directory_from_the_replica(personas, login, mfa_off):
    service = listing("org-replica", "Replica Test Services", ["legal_civil"])
    client = login(personas.navigator_a)

    response, primary, replica = queries_on_each(lambda: client.get("/hsds/services"))
    assert response.status_code == 200 and service.name in response.content.decode()
    assert "directory_" in tables(replica)
    assert "directory_" not in tables(primary)

    response, primary, replica = queries_on_each(
        lambda: client.get(f"/directory/services/{service.pk}/")
    )
    assert response.status_code == 200 and service.name in response.content.decode()
    assert "directory_" in tables(replica)
    # The session, the user and the audit trail stay on the primary.
    assert tables(replica) == {"directory_"}
    assert "django_session" in tables(primary)


def test_the_person_page_and_writes_never_touch_the_replica(personas, login, mfa_off):
    client = login(personas.navigator_a)
    person = personas.survivor
    response, primary, replica = queries_on_each(lambda: client.get(f"/people/{person.pk}/"))
    assert response.status_code == 200
    assert replica == [] and "people_" in tables(primary)
    # A POST to a directory page (an edit) reads and writes the primary only.
    service = listing("org-replica-2", "Replica Two", ["legal_civil"])
    _r, _primary, replica = queries_on_each(
        lambda: client.post(f"/directory/services/{service.pk}/capacity/", {})
    )
    assert replica == []
