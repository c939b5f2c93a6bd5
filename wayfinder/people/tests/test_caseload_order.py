"""The dashboard's caseload, read in two parts along the agency's index (the records the actor
leads, then the others), is the same list as the single sorted query it replaces."""

from datetime import timedelta

import time_machine
from django.db.models import Exists, OuterRef
from django.utils import timezone

from wayfinder.access.gate import persons_for
from wayfinder.accounts.models import Role
from wayfinder.consent.actions import ConsentRequest, Signature, create_consent
from wayfinder.core.testing import staff
from wayfinder.people import queries
from wayfinder.people.actions import add_care_team_member
from wayfinder.people.models import CareTeamMember
from wayfinder.people.tests.factories import take_in


def reference(actor, limit):
    """The query the caseload used to make: one OR scope, sorted by "leads", then newest."""
    mine = CareTeamMember.objects.filter(
        person=OuterRef("pk"), user_id=actor.user.pk, agency_id=actor.agency.pk
    )
    return [
        (p.pk, p.actor_is_lead)
        for p in persons_for(actor)
        .filter(Exists(mine))
        .annotate(actor_is_lead=Exists(mine.filter(is_lead=True)))
        .order_by("-actor_is_lead", "-created_at", "pk")[:limit]
    ]


def test_caseload_is_the_same_list_as_the_single_sorted_query(personas, monkeypatch):
    nav = personas.actor(personas.navigator_a)
    colleague = personas.actor(staff(personas.lead, "nav2@example.org", Role.NAVIGATOR, "Nav Two"))
    partner = personas.actor(
        staff(personas.legal, "navigator.b@example.org", Role.NAVIGATOR, "Nadia B")
    )
    start = timezone.now() - timedelta(days=1)
    for i in range(18):
        # Intake times tie in pairs, so the order's tie-break (the id) is exercised too.
        with time_machine.travel(start + timedelta(minutes=i // 2), tick=False):
            if i % 3 == 0:
                take_in(nav, f"Led Person{chr(65 + i)}")  # navigator_a leads
            elif i % 3 == 1:
                person = take_in(colleague, f"Team Person{chr(65 + i)}")  # on the team, not lead
                add_care_team_member(person, actor=colleague, user=nav.user, agency=nav.agency)
            else:
                person = take_in(partner, f"Shared Person{chr(65 + i)}")  # a partner's record
                add_care_team_member(
                    person, actor=partner, user=nav.user, agency=nav.agency, is_lead=i % 2 == 0
                )
                create_consent(
                    person,
                    ConsentRequest(
                        recipient_agency=personas.lead,
                        purposes=["care_coordination"],
                        categories=["identity"],
                        expires_at=timezone.now() + timedelta(days=90),
                        method="electronic_signature",
                        signature=Signature(kind="typed", typed_name="Client"),
                        explained_not_a_condition=True,
                    ),
                    actor=partner,
                )
    take_in(colleague, "Not Mine")  # the agency's, but navigator_a is not on the team
    for limit in (3, 7, 12, 200):
        monkeypatch.setattr(queries, "CASELOAD_LIMIT", limit)
        rows = queries.caseload(nav)
        assert [(r.person.pk, r.is_lead) for r in rows] == reference(nav, limit), limit
    assert len(rows) == 19 and sum(r.is_lead for r in rows) > 6
    assert queries.dashboard_counts(nav, caseload=True)["caseload"] == 19
    assert (
        queries.dashboard_counts(colleague, caseload=True)["caseload"] == 7
    )  # the records they took in (led), on the team
