"""The person-centred plan: goals in the person's own words, steps towards them, progress notes.

The words of a goal, the text of a step and of a note are sealed under the person's key. What a
partner agency sees is decided per item by its data categories (``categories()``): a goal is
"plan" data, plus the category of its domain where that domain is sensitive (a substance use goal
is also substance use information, a safety goal is trafficking history, and so on).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wayfinder.accounts.models import Agency
from wayfinder.core.categories import Category
from wayfinder.core.models import BaseModel
from wayfinder.people.models import Person


class Domain(models.TextChoices):
    """The life domains of the needs assessment (DESIGN: Assessments)."""

    SAFETY = "safety", _("Safety")
    HOUSING = "housing", _("Housing")
    INCOME_EMPLOYMENT = "income_employment", _("Income and employment")
    LEGAL_IMMIGRATION = "legal_immigration", _("Legal and immigration")
    PHYSICAL_HEALTH = "physical_health", _("Physical health")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SUBSTANCE_USE = "substance_use", _("Substance use")
    EDUCATION_VOCATIONAL = "education_vocational", _("Education and vocational skills")
    SOCIAL_SUPPORT = "social_support", _("Social support and mentors")
    COMMUNITY = "community_engagement", _("Community engagement")
    BASIC_NEEDS = "basic_needs", _("Basic needs")
    LANGUAGE_CULTURE = "language_culture", _("Language and culture")
    OTHER = "other", _("Something else")


# Sensitive domains carry their own data category on top of "plan": a partner needs both.
DOMAIN_CATEGORIES: dict[str, set[str]] = {
    Domain.SAFETY: {Category.TRAFFICKING},
    Domain.LEGAL_IMMIGRATION: {Category.LEGAL, Category.IMMIGRATION},
    Domain.PHYSICAL_HEALTH: {Category.HEALTH},
    Domain.MENTAL_HEALTH: {Category.HEALTH},
    Domain.SUBSTANCE_USE: {Category.SUBSTANCE_USE},
}


def domain_categories(domain: str) -> frozenset[str]:
    return frozenset(str(c) for c in DOMAIN_CATEGORIES.get(domain, ()))


def goal_categories(domain: str) -> frozenset[str]:
    """The consent categories a reader needs to see a goal in this domain."""
    return frozenset({Category.PLAN}) | domain_categories(domain)


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Working on it")
    ON_HOLD = "on_hold", _("Paused")
    ACHIEVED = "achieved", _("Achieved")
    STOPPED = "stopped", _("No longer a goal")


class Goal(BaseModel):
    """Something the person wants, in their own words (sealed), with a domain and a target date."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="goals")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    domain = models.CharField(_("area of life"), max_length=24, choices=Domain.choices)
    words_ct = models.BinaryField(editable=False)  # sealed {"text": ..., "language": "spa"}
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=GoalStatus.choices, default=GoalStatus.ACTIVE
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    # The assessed need this goal answers (assessments.Need), by id: the two apps evolve apart.
    need_id = models.UUIDField(null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["person", "status"], name="goal_person_status")]

    def __str__(self):
        return f"{self.person.pseudonym}: {self.get_domain_display()}"

    def categories(self) -> frozenset[str]:
        return goal_categories(self.domain)

    @property
    def is_open(self) -> bool:
        return self.status in {GoalStatus.ACTIVE, GoalStatus.ON_HOLD}


class Assignee(models.TextChoices):
    STAFF = "staff", _("A staff member")
    AGENCY = "agency", _("An agency")
    PERSON = "person", _("The person themself")


class StepStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Not needed any more")


class Step(BaseModel):
    """One thing to do towards a goal, by someone, by a date."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="plan_steps")
    text_ct = models.BinaryField(editable=False)  # sealed {"text": ...}
    assignee = models.CharField(_("who does it"), max_length=8, choices=Assignee.choices)
    assigned_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_steps",
    )
    assigned_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_steps"
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=StepStatus.choices, default=StepStatus.OPEN
    )
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A step carried out as a referral (referrals.Referral), by id; the referrals app fills it.
    referral_id = models.UUIDField(null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "created_at", "pk"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="step_status_due"),
            # The dashboard's overdue steps (``queries.overdue_steps``): each walk reads only
            # open steps, by due date, of the actor's persons, of the actor, of their agency.
            models.Index(
                fields=["person", "due_on"], condition=Q(status="open"), name="step_open_person"
            ),
            models.Index(
                fields=["assigned_user", "due_on"],
                condition=Q(status="open"),
                name="step_open_user",
            ),
            models.Index(
                fields=["assigned_agency", "due_on"],
                condition=Q(status="open"),
                name="step_open_agency",
            ),
        ]

    def categories(self) -> frozenset[str]:
        return self.goal.categories()

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == StepStatus.OPEN and self.due_on is not None and self.due_on < today


class NoteVisibility(models.TextChoices):
    AGENCY = "agency", _("Only my agency")
    CARE_TEAM = "care_team", _("The care team, where the person's consent allows")


class ProgressNote(BaseModel):
    """A dated note on the plan (or one goal), sealed, seen by the author's agency or the team."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="progress_notes")
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    visibility = models.CharField(
        _("who can read it"),
        max_length=10,
        choices=NoteVisibility.choices,
        default=NoteVisibility.CARE_TEAM,
    )
    text_ct = models.BinaryField(editable=False)  # sealed {"text": ...}

    class Meta:
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["person", "-created_at"], name="note_person_created")]

    def categories(self) -> frozenset[str]:
        extra = domain_categories(self.goal.domain) if self.goal_id else frozenset()
        return frozenset({Category.NOTES}) | extra
