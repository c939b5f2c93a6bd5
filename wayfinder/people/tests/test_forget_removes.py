"""Forget deletes everything about the person but the record code, the agency and the month.

The person gets a full record through the real actions (assessment with sensitive answers, needs,
consent, a sent and accepted referral, a plan with a step and a note, a partner on the care team).
After the forget, every table of the main database is searched for any row that still names the
person or anything that was theirs, and what is found is compared with the documented list
(docs/architecture.md, "What a forgotten record keeps").
"""

from __future__ import annotations

import uuid
from datetime import date

from django.db import connection

from wayfinder.assessments.actions import respond_to_flag
from wayfinder.assessments.models import Answer, Need, SafetyFlag, Session
from wayfinder.assessments.testing import run_session
from wayfinder.audit.models import AuditEvent
from wayfinder.consent.models import Consent
from wayfinder.people.actions import _month, add_care_team_member, forget_person
from wayfinder.people.models import Person
from wayfinder.plans.actions import add_goal, add_note, add_step
from wayfinder.plans.models import Goal, ProgressNote, Step
from wayfinder.referrals.actions import ReferralRequest, accept_referral, create_referral
from wayfinder.referrals.models import Referral, ReferralEvent
from wayfinder.referrals.tests.factories import referral_consent

# The person's columns that keep a value: docs/architecture.md says the same.
KEPT_PERSON_COLUMNS = {
    "id",
    "pseudonym",
    "owner_agency_id",
    "created_at",
    "updated_at",
    "forgotten_at",
}
SENSITIVE_ITEMS = {
    "exploitation_form": "labour",
    "safe_now": "no",
    "contact_from_exploiter": "yes",
    "thoughts_of_harm": "yes",
    "substance_problems": "yes",
    "health_now": "poor",
    "felt_overwhelmed": "most_days",
    "housing_stable": "no",
}


def _full_record(personas):
    person = personas.survivor
    nav = personas.actor(personas.navigator_a)
    session = run_session(person, nav, "needs_assessment", SENSITIVE_ITEMS)
    add_care_team_member(person, actor=nav, user=personas.lawyer_b, agency=personas.legal)
    referral_consent(personas, personas.legal, ["identity", "contact", "legal"])
    referral = create_referral(
        person,
        ReferralRequest(recipient_agency=personas.legal, service_category="legal_civil"),
        actor=nav,
    )
    accept_referral(referral, actor=personas.actor(personas.lawyer_b), note="We can help.")
    goal = add_goal(person, actor=nav, text="Tener mi propio cuarto", domain="housing")
    add_step(
        goal,
        actor=nav,
        text="Call the landlord",
        assignee="staff",
        assigned_user=personas.lawyer_b,
        due_on=date(2027, 1, 5),
    )
    add_note(person, actor=nav, text="Met at the office.", goal=goal)
    # The disclosures raised safety flags; one has its (sealed) response.
    flag = SafetyFlag.objects.filter(person=person).first()
    respond_to_flag(flag, actor=nav, note="Safety plan made together.")
    return session


def _ids_of_everything(person) -> set[str]:
    """The person's id and code, and the id of every row that was theirs."""
    ids = {str(person.pk), person.pseudonym}
    for model, field in (
        (Session, "person"),
        (Answer, "session__person"),
        (Need, "person"),
        (Consent, "person"),
        (Referral, "person"),
        (ReferralEvent, "referral__person"),
        (Goal, "person"),
        (Step, "person"),
        (ProgressNote, "person"),
    ):
        ids |= {
            str(pk) for pk in model.objects.filter(**{field: person}).values_list("pk", flat=True)
        }
    ids |= {str(r.reference) for r in Referral.objects.filter(person=person)}
    return ids


def _rows_naming(needles: set[str]) -> dict[str, list[dict]]:
    """Every row of every main-database table with a column equal to (or a JSON/text holding)
    one of ``needles``, as {table: [{column: value}]}."""
    found: dict[str, list[dict]] = {}
    variants = needles | {n.replace("-", "") for n in needles}
    with connection.cursor() as cur:
        for table in connection.introspection.table_names(cur):
            cur.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            columns = [c[0] for c in cur.description]
            for row in cur.fetchall():
                cells = [_text(v) for v in row]
                if any(n in cell for cell in cells for n in variants):
                    found.setdefault(table, []).append(dict(zip(columns, row, strict=True)))
    return found


def _text(value) -> str:
    if isinstance(value, memoryview | bytes):
        return ""  # ciphertext: unreadable once the key is gone (checked in core tests)
    if isinstance(value, uuid.UUID):
        return str(value)
    return "" if value is None else str(value)


def test_forget_deletes_every_row_about_the_person_and_keeps_the_documented_columns(
    personas, django_capture_on_commit_callbacks
):
    person = personas.survivor
    with django_capture_on_commit_callbacks(execute=True):  # reminders queued, as in production
        session = _full_record(personas)
    answers = set(Answer.objects.filter(session=session).values_list("item_id", flat=True))
    assert {"exploitation_form", "safe_now", "thoughts_of_harm", "substance_problems"} <= answers
    assert Need.objects.filter(person=person).exists()
    assert SafetyFlag.objects.filter(person=person).count() >= 2
    needles = _ids_of_everything(person)
    opened = Person.objects.get(pk=person.pk).created_at

    forget_person(person, actor=personas.actor(personas.admin_a), confirmation=person.pseudonym)

    found = _rows_naming(needles)
    # The audit trail keeps who did what and when under the record code (never what was said);
    # queued referral reminders name a deleted referral's id and end doing nothing.
    assert set(found) == {"people_person", "audit_auditevent", "django_tasks_database_dbtaskresult"}
    (row,) = found["people_person"]
    kept = {column for column, value in row.items() if value not in (None, "", "[]", [], b"")}
    assert kept == KEPT_PERSON_COLUMNS
    forgotten = Person.objects.get(pk=person.pk)
    assert forgotten.created_by_id is None  # authorship of what remains: "staff"
    assert forgotten.created_at == _month(opened)  # dates of what remains: the month
    for task in found["django_tasks_database_dbtaskresult"]:
        assert task["task_path"].startswith("wayfinder.referrals.tasks.")
    # No sensitive answer, need, consent, referral or plan row remains, anywhere.
    assert not Answer.objects.exists() and not Session.objects.exists()
    for model in (Need, Consent, Referral, ReferralEvent, Goal, Step, ProgressNote):
        assert not model.objects.exists(), model

    event = AuditEvent.objects.get(action="person.forget")
    assert event.detail["deleted"]["assessments.answer"] == len(answers)
    assert set(event.detail["deleted"]) >= {
        "assessments.session",
        "assessments.need",
        "consent.consent",
        "referrals.referral",
        "referrals.referralevent",
        "plans.goal",
        "plans.step",
        "plans.progressnote",
        "people.careteammember",
    }
