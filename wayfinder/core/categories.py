"""Data categories: the unit of consent, disclosure and audit."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    IDENTITY = "identity", _("Identity (names, date of birth, ID numbers)")
    CONTACT = "contact", _("Contact details and location")
    DEMOGRAPHICS = "demographics", _("Demographics and preferences")
    # What a partner needs to serve the person: consented as items of their own, never folded
    # into demographics, so the person agrees to them explicitly.
    COMMUNICATION = "communication", _("Communication needs (language, interpreter)")
    REFERRAL_REASON = "referral_reason", _("Reason for referral")
    TRAFFICKING = "trafficking", _("Trafficking history and safety")
    NEEDS = "needs", _("Needs")
    ASSESSMENTS = "assessments", _("Assessments")
    PLAN = "plan", _("Plan and goals")
    NOTES = "notes", _("Progress notes")
    IMMIGRATION = "immigration", _("Immigration")
    HEALTH = "health", _("Physical and mental health")
    SUBSTANCE_USE = "substance_use", _("Substance use treatment (42 CFR Part 2)")
    LEGAL = "legal", _("Legal")


ALL_CATEGORIES = frozenset(Category.values)
