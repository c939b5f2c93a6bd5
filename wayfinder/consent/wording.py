"""How the data categories read: for staff (same words as ``core.categories``, translated here so
the consent pages are complete in every shipped language) and, on the form, for the person."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from wayfinder.core.categories import Category

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CATEGORY_LABELS: dict[str, StrOrPromise] = {
    Category.IDENTITY: _("Identity (names, date of birth, ID numbers)"),
    Category.CONTACT: _("Contact details and location"),
    Category.DEMOGRAPHICS: _("Demographics and preferences"),
    Category.COMMUNICATION: _("Communication needs (language, interpreter)"),
    Category.REFERRAL_REASON: _("Reason for referral"),
    Category.TRAFFICKING: _("Trafficking history and safety"),
    Category.NEEDS: _("Needs"),
    Category.ASSESSMENTS: _("Assessments"),
    Category.PLAN: _("Plan and goals"),
    Category.NOTES: _("Progress notes"),
    Category.IMMIGRATION: _("Immigration"),
    Category.HEALTH: _("Physical and mental health"),
    Category.SUBSTANCE_USE: _("Substance use treatment (42 CFR Part 2)"),
    Category.LEGAL: _("Legal"),
}

# The consent form speaks to the person, in plain words.
PERSON_CATEGORY_LABELS: dict[str, StrOrPromise] = {
    Category.IDENTITY: _("Who you are: your names, date of birth and ID numbers"),
    Category.CONTACT: _("How to reach you, and where you live"),
    Category.DEMOGRAPHICS: _("About you: age, gender, background and preferences"),
    Category.COMMUNICATION: _(
        "How to talk with you: your languages, whether you need an interpreter"
    ),
    Category.REFERRAL_REASON: _("Why we are referring you, in the words we write for them"),
    Category.TRAFFICKING: _("What happened to you, and your safety"),
    Category.NEEDS: _("What you need help with"),
    Category.ASSESSMENTS: _("Your answers to questionnaires"),
    Category.PLAN: _("Your goals and your plan"),
    Category.NOTES: _("Notes staff write about your progress"),
    Category.IMMIGRATION: _("Your immigration situation"),
    Category.HEALTH: _("Your physical and mental health"),
    Category.SUBSTANCE_USE: _("Your substance use treatment"),
    Category.LEGAL: _("Your legal matters"),
}


def category_choices() -> list[tuple[str, StrOrPromise]]:
    return [(c, CATEGORY_LABELS[c]) for c in Category.values]


def access_ended_message(reason: str) -> str:
    """The one sentence a partner gets (API) when its consent for a record has ended."""
    if reason == "revoked":
        return str(_("Your access to this record ended because the consent was withdrawn."))
    return str(_("Your access to this record ended because the consent expired."))
