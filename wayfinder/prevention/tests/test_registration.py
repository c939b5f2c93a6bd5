"""Public registration: no account, a seat while one is left, then the waitlist."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from wayfinder.audit.models import AuditEvent
from wayfinder.core.errors import CodedError
from wayfinder.prevention import actions
from wayfinder.prevention.models import Registration, RegistrationStatus
from wayfinder.prevention.tests.factories import session


def sign_up(s, n: int, prefix: str = "t"):
    return actions.register(
        s,
        name=f"Trainee {n}",
        email=f"{prefix}{n}@example.org",
        organisation="Clinic",
        sector="health_care",
    )


def test_a_registration_on_a_full_session_goes_to_the_waitlist(db):
    s = session(capacity=2)
    assert [sign_up(s, n).status for n in range(3)] == [
        RegistrationStatus.REGISTERED,
        RegistrationStatus.REGISTERED,
        RegistrationStatus.WAITLISTED,
    ]
    s.refresh_from_db()
    assert s.seats_taken == 2 and s.is_full
    event = AuditEvent.objects.filter(action="prevention.register").last()
    assert event.detail["status"] == "waitlisted"
    assert "Trainee" not in str(event.detail)


def test_the_same_email_cannot_register_twice(db):
    s = session()
    sign_up(s, 1)
    with pytest.raises(CodedError) as exc:
        sign_up(s, 1)
    assert exc.value.code == "already_registered"


def test_the_public_page_registers_without_an_account(client, db):
    s = session(capacity=1)
    url = f"/training/{s.pk}/"
    assert client.get(url).status_code == 200
    data = {
        "name": "Ana Ruiz",
        "email": "ana@example.org",
        "organisation": "",
        "sector": "education",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "You are registered" in response.content.decode()
    second = client.post(url, {**data, "email": "ben@example.org", "name": "Ben"})
    assert "You are on the waitlist" in second.content.decode()
    bad = client.post(url, {**data, "email": "not-an-email"})
    assert bad.status_code == 400
    assert Registration.objects.filter(session=s).count() == 2


def test_a_past_session_takes_no_registration(client, db):
    s = session(starts_at=timezone.now() - timedelta(days=1))
    assert client.get(f"/training/{s.pk}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_registrations_for_the_last_seat_give_exactly_one(
    postgres_only,
) -> None:
    """On PostgreSQL, with real concurrent transactions: the conditional UPDATE decides."""
    s = session(capacity=5)
    for n in range(4):
        sign_up(s, n)
    barrier = threading.Barrier(20)
    errors: list[BaseException] = []

    def racer(n: int):
        try:
            barrier.wait()
            sign_up(s, n, prefix="racer")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=racer, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    racers = Registration.objects.filter(session=s, email__startswith="racer")
    assert racers.count() == 20
    assert racers.filter(status=RegistrationStatus.REGISTERED).count() == 1
    assert racers.filter(status=RegistrationStatus.WAITLISTED).count() == 19
    s.refresh_from_db()
    assert s.seats_taken == 5
    assert Registration.objects.filter(session=s, status=RegistrationStatus.REGISTERED).count() == 5
