"""How a person's fields read on staff pages: labels, sections and displayed values."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from wayfinder.core.categories import Category
from wayfinder.core.languages import language_name
from wayfinder.people.countries import country_name
from wayfinder.people.models import DECLINED, FIELD_CATEGORIES, PREFER_NOT, Person

FIELD_LABELS = {
    "chosen_name": _("Chosen name"),
    "legal_name": _("Legal name"),
    "aliases": _("Other names used"),
    "date_of_birth": _("Date of birth"),
    "identity_numbers": _("ID or document numbers"),
    "phone": _("Phone"),
    "email": _("E-mail"),
    "address": _("Address"),
    "postal_code": _("ZIP or postal code"),
    "safe_contact_method": _("Safe way to contact"),
    "safe_contact_times": _("Safe times to contact"),
    "birth_year": _("Year of birth"),
    "gender_identity": _("Gender"),
    "pronouns": _("Pronouns"),
    "preferred_languages": _("Preferred languages"),
    "interpreter_needed": _("Interpreter needed"),
    "communication_needs": _("Communication needs"),
    "country_of_origin": _("Country of origin"),
    "cultural_considerations": _("Cultural or faith considerations"),
    "staff_gender_preference": _("Preferred gender of staff"),
    "faith_preference": _("Faith-based services"),
    "trafficking_form": _("Form of trafficking"),
    "exploitation_ended_on": _("When the exploitation ended"),
    "safety_level": _("Safety right now"),
    "referral_source": _("How they came to us"),
}

# The record page's sections, one per data category, in this order.
SECTIONS = [
    (
        Category.IDENTITY,
        ["chosen_name", "legal_name", "aliases", "date_of_birth", "identity_numbers"],
    ),
    (
        Category.DEMOGRAPHICS,
        [
            "pronouns",
            "gender_identity",
            "birth_year",
            "country_of_origin",
            "cultural_considerations",
            "staff_gender_preference",
            "faith_preference",
        ],
    ),
    (
        Category.COMMUNICATION,
        ["preferred_languages", "interpreter_needed", "communication_needs"],
    ),
    (
        Category.CONTACT,
        ["safe_contact_method", "safe_contact_times", "phone", "email", "address", "postal_code"],
    ),
    (
        Category.TRAFFICKING,
        ["safety_level", "trafficking_form", "exploitation_ended_on", "referral_source"],
    ),
]
assert {f for _c, fields in SECTIONS for f in fields} == set(FIELD_CATEGORIES)


def display_value(field: str, value) -> str:
    """The value as a reader sees it; "" when nothing was recorded."""
    if value in (None, "", []):
        return ""
    if value == DECLINED:
        return str(PREFER_NOT)
    if field == "preferred_languages":
        return capfirst(", ".join(language_name(c) for c in value))
    if field == "aliases":
        return ", ".join(value)
    if field == "country_of_origin":
        return country_name(value)
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    model_field = _choice_field(field)
    if model_field is not None:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def _choice_field(field: str):
    try:
        model_field = Person._meta.get_field(field)
    except FieldDoesNotExist:  # an identity field: not a model field
        return None
    return model_field if isinstance(model_field, models.Field) and model_field.choices else None


def sections(data: dict) -> list[dict]:
    """The sections the viewer may see, from ``reveal_person`` output (absent fields are hidden).

    Each item: {"category", "label", "rows": [{"field", "label", "value", "declined"}]}.
    """
    declined = set(data.get("declined", []))
    out = []
    for category, fields in SECTIONS:
        rows = [
            {
                "field": f,
                "label": FIELD_LABELS[f],
                "value": display_value(f, data[f]),
                "declined": f in declined or data[f] == DECLINED,
            }
            for f in fields
            if f in data
        ]
        if rows:
            out.append({"category": category.value, "label": category.label, "rows": rows})
    return out


# What an audit event means, in plain words, for the access history page (and its "What" filter).
ACTION_LABELS = {
    "person.create": _("Took the person in"),
    "person.view": _("Opened the record"),
    "person.list": _("Saw the name in a list"),
    "person.update": _("Changed the record"),
    "person.forget": _("Forgot the person"),
    "person.duplicate_check": _("Checked for a duplicate record"),
    "care_team.add": _("Added someone to the care team"),
    "care_team.remove": _("Removed someone from the care team"),
    "care_team.lead": _("Changed the care team lead"),
    "assessment.start": _("Started an assessment"),
    "assessment.answer": _("Answered assessment questions"),
    "assessment.complete": _("Completed an assessment"),
    "assessment.stop": _("Stopped an assessment"),
    "assessment.view": _("Viewed an assessment"),
    "assessment.list": _("Saw the list of assessments"),
    "assessment.trajectory": _("Viewed progress over time"),
    "assessment.export": _("Exported an assessment"),
    "assessment.handover": _("Handed the device to the person"),
    "assessment.handover_start": _("Handed the device to the person"),
    "assessment.handover_end": _("Took the device back from the person"),
    "assessment.handover_failed": _("Failed to take the device back (wrong password)"),
    "assessment.handover_signed_out": _("Signed out during hand-over"),
    "need.create": _("Added a need"),
    "need.update": _("Changed a need"),
    "need.view": _("Viewed a need"),
    "need.list": _("Saw the list of needs"),
    "consent.create": _("Recorded a consent"),
    "consent.view": _("Viewed a consent"),
    "consent.revoke": _("Recorded a withdrawal of consent"),
    "consent.print": _("Printed a consent form"),
    "consent.print_blank": _("Printed a blank consent form"),
    "consent.artifact_view": _("Viewed the signed consent form"),
    "consent.disclose": _("Shared information under a consent"),
    "matching.run": _("Looked for services"),
    "plan.view": _("Viewed the plan"),
    "plan.goal_create": _("Added a goal to the plan"),
    "plan.goal_update": _("Changed a goal"),
    "plan.goal_status": _("Changed the status of a goal"),
    "plan.step_create": _("Added a step to the plan"),
    "plan.step_status": _("Changed the status of a step"),
    "plan.step_due": _("A plan step fell due"),
    "plan.note_create": _("Added a note to the plan"),
    "plan.overdue_list": _("Saw the plan in the overdue steps"),
    "referral.create": _("Made a referral"),
    "referral.view": _("Viewed a referral"),
    "referral.open": _("Opened a referral"),
    "referral.update": _("Updated a referral"),
    "referral.accept": _("Accepted a referral"),
    "referral.reject": _("Declined a referral"),
    "referral.start": _("Started the service of a referral"),
    "referral.complete": _("Closed a referral"),
    "referral.hold": _("Put a referral on hold"),
    "referral.resume": _("Resumed a referral"),
    "referral.cancel": _("Cancelled a referral"),
    "referral.fail": _("Closed a referral without the service"),
    "referral.mark_error": _("Marked a referral as made in error"),
    "referral.disclose": _("Shared information with a referral"),
    "referral.reminder": _("Sent a referral reminder"),
    "referral.fhir_export": _("Exported a referral (FHIR)"),
    "referral.packet_print": _("Printed a referral packet"),
    "referral.packet_email": _("E-mailed a referral packet"),
    "referral.packet_disclose": _("Shared a referral packet"),
    "conference.item_add": _("Put on a case conference agenda"),
    "conference.item_exclusions": _("Recorded what not to discuss at a case conference"),
    "conference.item_open": _("Opened a case conference agenda item"),
    "conference.minutes": _("Recorded case conference minutes"),
    "conference.outcome": _("Recorded a case conference outcome"),
    "conference.action_add": _("Added a case conference action item"),
}


def action_label(action: str) -> str:
    """Plain words for an audit action; an action not listed reads "Other action (code)"."""
    label = ACTION_LABELS.get(action)
    if label is not None:
        return str(label)
    return _("Other action (%(code)s)") % {"code": action}


def action_choices() -> list[tuple[str, str]]:
    """(label, [codes]) filter choices: one entry per plain-words label, sorted by label."""
    by_label: dict[str, list[str]] = {}
    for code, label in ACTION_LABELS.items():
        by_label.setdefault(str(label), []).append(code)
    return sorted(
        ((",".join(codes), label) for label, codes in by_label.items()), key=lambda c: c[1]
    )
