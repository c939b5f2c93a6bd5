"""The portal's plain words (grade 6 or below: ``tests/test_readability.py`` scores them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from wayfinder.core.categories import Category

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# "Legal Aid can see …": what each kind of information is, for the person.
WHAT: dict[str, StrOrPromise] = {
    Category.IDENTITY: _("your name"),
    Category.CONTACT: _("how to reach you"),
    Category.DEMOGRAPHICS: _("facts about you"),
    Category.COMMUNICATION: _("your languages"),
    Category.REFERRAL_REASON: _("why we sent you to them"),
    Category.TRAFFICKING: _("what happened to you"),
    Category.NEEDS: _("what you need help with"),
    Category.ASSESSMENTS: _("your answers to questions"),
    Category.PLAN: _("your plan"),
    Category.NOTES: _("notes about how you are doing"),
    Category.IMMIGRATION: _("your papers to live here"),
    Category.HEALTH: _("your health"),
    Category.SUBSTANCE_USE: _("your drug or alcohol care"),
    Category.LEGAL: _("your legal case"),
}

# "Legal Aid looked at …" / "changed …": which audit actions are a look, which a change.
LOOKS = {
    "person.view",
    "person.list",
    "assessment.view",
    "assessment.list",
    "assessment.trajectory",
    "assessment.export",
    "need.view",
    "need.list",
    "consent.view",
    "consent.print",
    "consent.artifact_view",
    "consent.disclose",
    "plan.view",
    "plan.overdue_list",
    "referral.view",
    "referral.open",
    "referral.disclose",
    "referral.fhir_export",
    "referral.packet_print",
    "referral.packet_email",
    "referral.packet_disclose",
    "conference.item_open",
}

# Referral status, for the person.
REFERRAL_STATUS: dict[str, StrOrPromise] = {
    "draft": _("Not sent yet"),
    "requested": _("Sent. We wait for their reply."),
    "accepted": _("They said yes."),
    "rejected": _("They said no."),
    "in-progress": _("They are helping you now."),
    "on-hold": _("On hold for now."),
    "completed": _("They say it is done."),
    "cancelled": _("Stopped."),
    "failed": _("It did not work out."),
    "entered-in-error": _("Made by mistake."),
}


def what_list(categories) -> str:
    """``["identity", "legal"]`` → "your name and your legal information" (in order)."""
    words = [str(WHAT[c]) for c in Category.values if c in set(categories)]
    if not words:
        return str(_("your file"))
    if len(words) == 1:
        return words[0]
    return str(_("%(first)s and %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]})


# The rest of what the person reads, said in forms, views, queries and actions: listed here so
# that the language checks (docs/languages.md) know them as survivor-facing words.
PERSON_MESSAGES: list[StrOrPromise] = [
    _("Your door number"),
    _("Your PIN or pass phrase"),
    _("Your one-time code"),
    _("A code from your paper"),
    _("How do you want to sign in?"),
    _("A PIN: 6 numbers"),
    _("A pass phrase: a few words"),
    _("Type it again"),
    _("Name for this page"),
    _("This name shows on the browser tab. Pick a dull one, like Notes."),
    _("Your note"),
    _("Too many tries. Wait 15 minutes, then try again."),
    _("That did not work. Check your door number and PIN."),
    _("This code does not work. Ask your helper for a new one."),
    _("That did not work. Check your door number and code."),
    _("%(agency)s can see %(what)s until %(date)s."),
    _("a staff member"),
    _("You"),
    _("Your helper"),
    _("Your PIN must be 6 numbers."),
    _("Use at least 12 letters. A few words work well."),
    _("The two do not match. Try again."),
    _("This code does not work any more."),
    _("Write your note first."),
    _("Your note is too long."),
    _("Choose yes, partly or no."),
    _("your file"),
    _("%(first)s and %(last)s"),
]
