"""Under real concurrency exactly one transition wins; every other caller gets a coded conflict."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from wayfinder.audit.models import AuditEvent
from wayfinder.referrals import actions
from wayfinder.referrals.models import Referral, ReferralEvent, Status

CALLERS = 20


@pytest.mark.postgres
def test_twenty_simultaneous_accepts_give_one_success(
    postgres_only, transactional_db, personas, referral, lawyer
):
    seen = Referral.objects.get(pk=referral.pk)  # what every caller loaded: version 1
    barrier = threading.Barrier(CALLERS)
    results: list[str] = []
    lock = threading.Lock()

    def accept():
        copy = Referral.objects.get(pk=seen.pk)
        copy.version = seen.version
        try:
            barrier.wait(timeout=30)
            actions.accept_referral(copy, actor=lawyer)
            outcome = "ok"
        except ValidationError as exc:
            outcome = exc.code
        except Exception as exc:  # anything else is a failure of the test, reported below
            outcome = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=accept) for _ in range(CALLERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert sorted(results) == ["conflict"] * (CALLERS - 1) + ["ok"], results
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED and referral.version == 2
    assert AuditEvent.objects.filter(action="referral.accept").count() == 1
    assert ReferralEvent.objects.filter(referral=referral, to_status="accepted").count() == 1
