"""Service categories: what a need asks for, what a directory service offers, what a referral is for.

One list shared by assessments (needs), the directory (published as HSDS taxonomy terms of the
Wayfinder taxonomy), matching and referrals. Based on the OVC TIMS / OTIP service categories.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceCategory(models.TextChoices):
    CASE_MANAGEMENT = "case_management", _("Case management")
    CRISIS_INTERVENTION = "crisis_intervention", _("Crisis intervention")
    SAFETY_PLANNING = "safety_planning", _("Safety planning")
    EMERGENCY_SHELTER = "emergency_shelter", _("Emergency shelter")
    HOUSING = "housing", _("Transitional or permanent housing")
    LEGAL_IMMIGRATION = "legal_immigration", _("Immigration legal services")
    LEGAL_CIVIL = "legal_civil", _("Civil legal aid")
    LEGAL_CRIMINAL = "legal_criminal", _("Criminal justice advocacy")
    MEDICAL = "medical", _("Medical and dental care")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SUBSTANCE_USE = "substance_use", _("Substance use treatment")
    INTERPRETATION = "interpretation", _("Interpretation and translation")
    TRANSPORTATION = "transportation", _("Transportation")
    EDUCATION = "education", _("Education")
    VOCATIONAL = "vocational", _("Skills development and vocational training")
    EMPLOYMENT = "employment", _("Employment and living-wage jobs")
    FINANCIAL = "financial", _("Income support and financial assistance")
    BASIC_NEEDS = "basic_needs", _("Food, clothing and personal items")
    MENTORING = "mentoring", _("Mentors, coaches and positive role models")
    COMMUNITY = "community", _("Community engagement")
    LIFE_SKILLS = "life_skills", _("Life skills")
    CHILDCARE = "childcare", _("Childcare")
    AWARENESS = "awareness", _("Red flags and where to seek help")


class Urgency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate (today)")
    HIGH = "high", _("High (this week)")
    MEDIUM = "medium", _("Medium (this month)")
    LOW = "low", _("Low (when ready)")


URGENCY_RANK: dict[str, int] = {
    Urgency.IMMEDIATE: 0,
    Urgency.HIGH: 1,
    Urgency.MEDIUM: 2,
    Urgency.LOW: 3,
}
