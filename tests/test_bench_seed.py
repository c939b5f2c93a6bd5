"""The bench's bulk seeding (``bench/prepare.py``) writes what ``create_person`` writes.

Its rows go in by COPY on PostgreSQL and by ``bulk_create`` elsewhere, with each blind-index
HMAC computed once per token: the persons must still decrypt, be found by name, and hold exactly
the index terms ``crypto.index_terms`` gives. ``seed_network`` spreads persons over agencies with
referrals and assessments in proportion.
"""

from __future__ import annotations

import random

from django.test import Client

from wayfinder.core import crypto
from wayfinder.keystore.models import BlindIndex, DataKey
from wayfinder.people.actions import identity_under
from wayfinder.people.models import CareTeamMember, Person


def test_seeded_persons_are_shaped_as_create_person_makes_them(personas):
    from bench.prepare import seed

    before = set(Person.objects.values_list("pk", flat=True))
    assert seed(personas.lead, personas.navigator_a, 7, random.Random(1), set(), batch=3) == 7
    made = Person.objects.exclude(pk__in=before)
    assert made.count() == 7
    for person in made:
        identity = identity_under(person, crypto.data_key(person.pk))
        names = [identity.chosen_name, identity.legal_name, *identity.aliases]
        assert sorted(
            BlindIndex.objects.filter(person_id=person.pk).values_list("kind", "digest")
        ) == sorted(crypto.index_terms(personas.lead.pk, names, identity.date_of_birth))
        assert DataKey.objects.get(person_id=person.pk).agency_id == personas.lead.pk
        lead = CareTeamMember.objects.get(person=person)
        assert (lead.user, lead.agency, lead.is_lead) == (
            personas.navigator_a,
            personas.lead,
            True,
        )
        assert person.owner_agency == personas.lead
        assert person.created_by == personas.navigator_a
        assert person.declined == [] and person.pronouns == ""
        assert isinstance(person.preferred_languages, list)
        assert person.birth_year == identity.date_of_birth.year


def test_a_seeded_person_is_found_by_name(personas, mfa_off):
    from bench.prepare import seed

    seed(personas.lead, personas.navigator_a, 3, random.Random(2), set())
    person = Person.objects.filter(owner_agency=personas.lead).order_by("-created_at").first()
    identity = identity_under(person, crypto.data_key(person.pk))
    client = Client()
    client.force_login(personas.navigator_a)
    response = client.post("/people/", {"q": identity.legal_name})
    assert response.status_code == 200
    assert person.pseudonym in response.content.decode()


def test_seed_network_spreads_persons_referrals_and_assessments(personas, mfa_off):
    from bench.prepare import network_agencies, seed_network, shares
    from wayfinder.assessments import testing
    from wayfinder.assessments.models import SafetyFlag, Session, SessionStatus
    from wayfinder.consent.grants import consented_person_ids
    from wayfinder.plans.models import Step
    from wayfinder.referrals.models import Referral
    from wayfinder.referrals.sharing import PURPOSE

    assert shares(1_000_000, 20)[0] == max(shares(1_000_000, 20))
    assert sum(shares(1_000_000, 20)) == 1_000_000
    # the completed sitting the bulk sittings copy
    testing.run_session(
        personas.survivor,
        personas.actor(personas.navigator_a),
        "brief_resilience_scale",
        {"brs_1": 3},
    )
    referrals = Referral.objects.count()
    made = seed_network(personas.lead, personas.navigator_a, 300, 3, workers=1)
    assert made["persons"] == 300
    assert made["assessments"] > 0
    # Each bulk person's last sitting is marked, the earlier ones not, as completing them would.
    done = Session.objects.filter(status=SessionStatus.COMPLETED)
    assert done.count() == made["assessments"] + 1
    assert done.filter(latest=False).exists()  # some were reassessed
    marked = set(done.filter(latest=True).values_list("pk", flat=True))
    Session.objects.all().mark_latest()
    assert set(done.filter(latest=True).values_list("pk", flat=True)) == marked
    # History: answered flags, and steps long past due that nobody closed
    assert made["answered_flags"] == SafetyFlag.objects.filter(responded_at__isnull=False).count()
    assert made["answered_flags"] > 0
    assert made["stale_steps"] == Step.objects.filter(status="open").count() > 0
    paused = Session.objects.filter(status=SessionStatus.IN_PROGRESS)
    assert made["paused_sessions"] == paused.count() > 0
    assert not paused.filter(latest=True).exists()
    members = network_agencies(personas.lead, personas.navigator_a, 3)
    for (agency, user), count in zip(members, shares(300, 3), strict=True):
        assert (
            CareTeamMember.objects.filter(agency=agency, user=user, is_lead=True).count() >= count
        )
    added = Referral.objects.count() - referrals
    assert added == made["referrals"] > 0
    for referral in Referral.objects.filter(created_by__in=[u for _a, u in members])[:20]:
        assert referral.recipient_agency != referral.sending_agency
        # under a referral consent in force: the partner's inbox lists it
        assert referral.person_id in set(
            consented_person_ids(referral.recipient_agency_id, PURPOSE).values_list(
                "person_id", flat=True
            )
        )
    agency, user = members[2]
    client = Client()
    client.force_login(user)
    assert client.get("/people/").status_code == 200
    # The stale steps are sealed for their person: the dashboard reads them out.
    assert "Call the housing office." in client.get("/").content.decode()


def test_seeded_audit_events_chain_on_and_verify(personas, mfa_off):
    """The bulk persons get their intake, looks and list appearances in the audit trail, in
    proportion, chained after the head: ``audit verify`` still passes, and a person's access
    history finds the list pages that showed them."""
    from bench.prepare import LIST_PAGE, LISTS_PER_PERSON, VIEWS_PER_PERSON, seed_network, shares
    from wayfinder.audit.events import verify
    from wayfinder.audit.models import AuditEvent
    from wayfinder.people.queries import listed_in

    events = AuditEvent.objects.count()
    made = seed_network(personas.lead, personas.navigator_a, 60, 2, workers=1)
    pages = sum(n // LIST_PAGE for n in shares(60, 2))  # a list page per 25 of an agency
    expected = 60 * (1 + VIEWS_PER_PERSON) + pages * LISTS_PER_PERSON
    assert made["audit_events"] == expected
    # and the bench agencies' own set-up, audited as it happened
    assert AuditEvent.objects.count() - events >= expected
    result = verify()
    assert result.ok, result.reason
    listed = AuditEvent.objects.filter(action="person.list").order_by("-seq").first()
    code = listed.detail["shown"][0]
    assert listed.seq in set(listed_in(code).values_list("seq", flat=True))
    assert AuditEvent.objects.filter(person_pseudonym=code, action="person.view").count() == 2


def test_bench_agencies_times_every_agency_size_and_a_partner(personas, mfa_off):
    """``bench.agencies`` finds a user for each size of agency and a partner, and each page it
    times answers them (a 404 or a redirect would time an error page, not the page)."""
    from bench import agencies
    from bench.prepare import seed_network

    seed_network(personas.lead, personas.navigator_a, 120, 4, workers=1)
    result = agencies.measure(rounds=1)
    labels = list(result)
    assert labels[0].startswith("lead agency") and "leads" in labels[0]
    assert {"largest", "middle", "smallest"} <= {label.split()[0] for label in labels}
    assert any(label.startswith("partner legal_aid") for label in labels)
    assert {"lead agency's admin", "network admin", "analyst"} <= set(labels)
    for label, found in result.items():
        admin = label in ("lead agency's admin", "network admin", "analyst")
        expected = {"dashboard", "reports"} if admin else {"dashboard", "list", "my caseload"}
        assert expected <= set(found), label
        assert {page: got["status"] for page, got in found.items() if got["status"] != 200} == {}
    # the lead's navigator leads the bulk records, so has one to open
    assert "person page" in result[labels[0]]
