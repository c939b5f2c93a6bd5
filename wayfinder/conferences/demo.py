"""Demo: the lead agency's weekly case review with legal aid, housing and mental health.

Last week's meeting is closed, its action item still open. This week's agenda has Lucía: legal
aid holds her case-conferencing consent (identity, legal) and sees her; housing holds none and
sees her record code marked Restricted.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from django.utils import timezone

from wayfinder.conferences import actions
from wayfinder.consent.actions import ConsentRequest, Signature, create_consent
from wayfinder.people.demo import SURVIVORS


def load(net) -> None:
    navigator = SURVIVORS[0][-1]
    chair = net.actor(navigator, "lead")
    lucia = net.persons[0]
    create_consent(
        lucia,
        ConsentRequest(
            recipient_agency=net.agencies["legal"],
            purposes=["case_conferencing"],
            categories=["identity", "legal"],
            expires_at=timezone.now() + timedelta(days=180),
            method="electronic_signature",
            signature=Signature(kind="typed", typed_name=SURVIVORS[0][1]),
            explained_not_a_condition=True,
        ),
        actor=chair,
    )
    last_week = timezone.localdate() - timedelta(days=7)
    series = actions.create_series(
        actor=chair,
        name="Weekly case review",
        type="case_review",
        rrule="FREQ=WEEKLY",
        starts_at=datetime.combine(last_week, time(15, 0), tzinfo=UTC),
        place="Harbor Light, meeting room 2",
        attendees=[net.users["lawyer"], net.users["housing"], net.users["counselor"]],
    )
    past = actions.schedule_next_meeting(series, actor=chair)
    item = actions.add_item(
        past,
        actor=chair,
        person=lucia,
        presenter=chair.user,
        reasons=[{"code": "steps_overdue", "category": "plan", "count": 1}],
    )
    actions.record_minutes(
        item, actor=chair, text="Housing application is late; legal aid to follow up."
    )
    actions.add_action_item(
        item,
        actor=chair,
        text="Book the first appointment with legal aid",
        due_on=timezone.localdate() + timedelta(days=3),
        owner_agency=net.agencies["legal"],
    )
    actions.set_outcome(item, actor=chair, outcome="discussed")
    actions.close_meeting(past, actor=chair)
    this_week = actions.schedule_next_meeting(series, actor=chair)
    current = actions.add_item(
        this_week,
        actor=chair,
        person=lucia,
        presenter=chair.user,
        reasons=[{"code": "steps_overdue", "category": "plan", "count": 2}],
    )
    # --- the survivor's voice ---
    actions.record_voice(
        current,
        actor=chair,
        know="Todavía no me siento segura en el albergue.",
        decide="Quiero que me ayuden a encontrar un lugar propio.",
        attendance_wish="represented",
        representative="Su navegadora",
    )
    net.extra["conferences"] = {"series": series.pk, "meeting": this_week.pk}
