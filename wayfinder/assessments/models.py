"""Assessment sessions, their answers and scores, and the needs a person has.

A session stores the instrument id and version it was started with; every shipped version stays
loadable (``instruments.registry``), so later versions never change past sessions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from wayfinder.accounts.models import Agency
from wayfinder.assessments.instruments import get_instrument
from wayfinder.core.interpretation import InterpretationFields
from wayfinder.core.models import BaseModel
from wayfinder.core.service_categories import URGENCY_RANK, ServiceCategory, Urgency
from wayfinder.people.models import Person


class SessionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped before the end")


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    SELF = "self", _("Completed by the person")


class InterpreterUsed(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


class SessionQuerySet(models.QuerySet):
    def mark_latest(self) -> None:
        """Set ``latest`` on these sessions by its rule: completed, and no later completed sitting
        of the same person and instrument (by date, then id) anywhere. Whoever completes a
        sitting, or writes completed sittings in bulk, calls it on the sittings it touched."""
        later = Exists(
            Session.objects.filter(
                Q(conducted_on__gt=OuterRef("conducted_on"))
                | Q(conducted_on=OuterRef("conducted_on"), pk__gt=OuterRef("pk")),
                person_id=OuterRef("person_id"),
                instrument_id=OuterRef("instrument_id"),
                status=SessionStatus.COMPLETED,
            )
        )
        self.filter(latest=True).filter(~Q(status=SessionStatus.COMPLETED) | later).update(
            latest=False
        )
        self.filter(latest=False, status=SessionStatus.COMPLETED).filter(~later).update(latest=True)


class Session(InterpretationFields, BaseModel):
    """One sitting (or several, paused and resumed) of one instrument with one person."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assessment_sessions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    instrument_id = models.CharField(max_length=64)
    instrument_version = models.PositiveIntegerField()
    kind = models.CharField(max_length=32)  # copied from the instrument, for trajectory queries
    status = models.CharField(
        max_length=16, choices=SessionStatus.choices, default=SessionStatus.IN_PROGRESS
    )
    mode = models.CharField(_("how it is done"), max_length=16, choices=SessionMode.choices)
    language = models.CharField(_("language"), max_length=8)
    interpreter_used = models.CharField(
        _("interpreter used"), max_length=4, choices=InterpreterUsed.choices
    )
    conducted_on = models.DateField(_("date of the assessment"))
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # the earlier session of the same instrument this one repeats (reassessment)
    current_section = models.PositiveSmallIntegerField(default=0)  # where to resume
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The person's latest completed sitting of this instrument (``SessionQuerySet.mark_latest``):
    # the sitting a reassessment is due from. Superseded sittings are never walked again.
    latest = models.BooleanField(default=False, editable=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-conducted_on", "-created_at"]
        indexes = [
            models.Index(fields=["person", "instrument_id", "status", "-conducted_on"]),
            models.Index(fields=["agency", "status"]),
            # reassessments_due: an agency's latest sittings, oldest first
            models.Index(
                fields=["agency", "conducted_on", "id"],
                condition=Q(latest=True),
                name="session_agency_latest",
            ),
            # open_sessions: an agency's paused sessions, least recently touched first
            models.Index(
                fields=["agency", "updated_at", "id"],
                condition=Q(status="in_progress"),
                name="session_agency_paused",
            ),
        ]

    def __str__(self):
        return f"{self.instrument_id} v{self.instrument_version} ({self.conducted_on})"

    @property
    def is_open(self) -> bool:
        return self.status == SessionStatus.IN_PROGRESS

    @property
    def instrument(self):
        return get_instrument(self.instrument_id, self.instrument_version)


ANSWER_TEXT_PURPOSE = "assessment_answer"  # the sealing purpose of free-text answers


class Answer(BaseModel):
    """One item's answer. Coded values are plain; free text is sealed under the person's key."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="answers")
    item_id = models.CharField(max_length=64)
    value = models.JSONField(null=True, blank=True)  # str | int | list[str] | ISO date
    text_ct = models.BinaryField(null=True, editable=False)  # sealed short text
    declined = models.BooleanField(default=False)  # "prefer not to say"
    by_person = models.BooleanField(default=False)  # entered by the person in hand-over mode

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "item_id"], name="uniq_answer_item")
        ]


class Score(BaseModel):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="scores")
    score_id = models.CharField(max_length=64)
    value = models.FloatField(null=True)  # None: too few items answered
    answered = models.PositiveSmallIntegerField(default=0)
    declined = models.PositiveSmallIntegerField(default=0)
    missing = models.PositiveSmallIntegerField(default=0)
    not_scored = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["score_id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "score_id"], name="uniq_session_score")
        ]


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("Being addressed")
    MET = "met", _("Met")
    DECLINED = "declined", _("The person declined")


ACTIVE_NEED_STATUSES = (NeedStatus.OPEN, NeedStatus.IN_PROGRESS)

# Needs that reveal a specially protected category: a partner sees them only with that category
# too (42 CFR Part 2 for substance use: never by a broader grant).
NEED_DATA_CATEGORY: dict[str, str] = {
    ServiceCategory.SUBSTANCE_USE: "substance_use",
    ServiceCategory.MENTAL_HEALTH: "health",
    ServiceCategory.MEDICAL: "health",
    ServiceCategory.CRISIS_INTERVENTION: "health",
    ServiceCategory.LEGAL_IMMIGRATION: "immigration",
    ServiceCategory.LEGAL_CIVIL: "legal",
    ServiceCategory.LEGAL_CRIMINAL: "legal",
}


def need_data_categories(category: str) -> list[str]:
    """The consent categories a reader needs to see a need for this service category."""
    extra = NEED_DATA_CATEGORY.get(category)
    return ["needs", extra] if extra else ["needs"]


class Need(BaseModel):
    """Something the person needs: a service category and an urgency, with where it came from."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="needs")
    category = models.CharField(_("service"), max_length=32, choices=ServiceCategory.choices)
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    source_session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="needs"
    )  # None: added by staff
    source_item = models.CharField(max_length=64, blank=True)
    note_ct = models.BinaryField(null=True, editable=False)  # sealed {"text": ...}
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self):
        return f"{self.category} ({self.urgency}, {self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_NEED_STATUSES

    @property
    def added_by_staff(self) -> bool:
        return self.source_session_id is None

    @property
    def data_categories(self) -> list[str]:
        """The consent categories a reader needs to see this need."""
        return need_data_categories(self.category)


class SafetyKind(models.TextChoices):
    """What a safety trigger disclosed (``instruments.SafetyKind`` in the files)."""

    SELF_HARM = "self_harm", _("Thoughts of hurting themself")
    DANGER_NOW = "danger_now", _("In danger now")
    TRAFFICKER_NEARBY = "trafficker_nearby", _("Trafficker nearby or in contact")


class SafetyFlag(BaseModel):
    """An answer that disclosed danger. Open until a staff member records the response.

    One flag per session and item: changing the answer later does not take the disclosure back.
    Who may see it: whoever may read the answer that raised it (``queries.can_see_flag``).
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="safety_flags")
    kind = models.CharField(_("concern"), max_length=32, choices=SafetyKind.choices)
    source_session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="safety_flags"
    )
    source_item = models.CharField(max_length=64, blank=True)
    by_person = models.BooleanField(default=False)  # answered by the person in hand-over mode
    raised_at = models.DateTimeField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )  # the staff member signed in when it was raised
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    response_ct = models.BinaryField(null=True, editable=False)  # sealed {"text": ...}

    class Meta:
        ordering = ["-raised_at"]
        indexes = [
            models.Index(fields=["person", "responded_at"]),
            # The dashboard's open flags (``queries.agency_open_flags``), oldest first, without
            # reading every flag ever answered in the network.
            models.Index(
                fields=["raised_at"],
                condition=Q(responded_at__isnull=True),
                name="flag_open_raised",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_session", "source_item"], name="uniq_safety_flag_item"
            )
        ]

    def __str__(self):
        return f"{self.kind} ({'open' if self.is_open else 'responded'})"

    @property
    def is_open(self) -> bool:
        return self.responded_at is None

    @property
    def data_categories(self) -> list[str]:
        """The consent categories a reader needs: those of the answer that raised it."""
        extra = ""
        if self.source_session_id is not None:
            inst = self.source_session.instrument
            if self.source_item in inst.items_by_id:
                extra = inst.item_category(self.source_item)
        return sorted({"assessments", extra} - {""})


def need_priority(need: Need) -> tuple:
    """Most urgent first; among equals the crisis need first, then the oldest."""
    return (
        URGENCY_RANK.get(need.urgency, 9),
        need.category != ServiceCategory.CRISIS_INTERVENTION,
        need.created_at,
    )
