"""MDT case conferences: a series of meetings, their agenda items, minutes and action items.

A series has a type, a chair agency, an RFC 5545 recurrence rule (parsed by python-dateutil, see
``schedule``), a place or a video link and standing attendees. Each meeting is one occurrence of
it, with guests. An agenda item puts one person before the team; what each attendee sees of it is
cut by the person's ``case_conferencing`` consents (``queries.item_view``). Minutes and action
item texts are sealed under the person's key.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wayfinder.accounts.models import Agency
from wayfinder.core.models import BaseModel
from wayfinder.people.models import Person


class SeriesType(models.TextChoices):
    CASE_REVIEW = "case_review", _("Case review")
    CLINICAL_REVIEW = "clinical_review", _("Clinical review")
    TASK_FORCE = "task_force", _("Task-force business")


class Series(BaseModel):
    name = models.CharField(_("name"), max_length=120)  # e.g. "Weekly case review": no person
    type = models.CharField(_("type"), max_length=20, choices=SeriesType.choices)
    chair_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    rrule = models.CharField(_("schedule (RFC 5545 RRULE)"), max_length=500)
    starts_at = models.DateTimeField(_("first meeting"))
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=60)
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    standing_attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="conference_series", blank=True
    )

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class MeetingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Meeting(BaseModel):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(
        _("status"), max_length=8, choices=MeetingStatus.choices, default=MeetingStatus.OPEN
    )
    guests = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="conference_guest_of", blank=True
    )
    present = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="conference_attended", blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["series", "starts_at"], name="meeting_series_start")
        ]

    def __str__(self):
        return f"{self.series.name} {self.starts_at:%Y-%m-%d}"


class Outcome(models.TextChoices):
    DISCUSSED = "discussed", _("Discussed")
    DEFERRED = "deferred", _("Deferred")
    NOT_DISCUSSED = "not_discussed", _("Not discussed")


class MinutesVisibility(models.TextChoices):
    CONSENTED = "consented", _("All consented attendees")
    OWNER = "owner", _("The owning agency only")


class AttendanceWish(models.TextChoices):
    """What the person wants for the meeting (recorded by their navigator beforehand)."""

    ATTEND = "attend", _("They want to attend")
    REPRESENTED = "represented", _("They want to be represented")
    NEITHER = "neither", _("Neither: the team may meet without them")


class AgendaItem(BaseModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # [{"code": ..., "category": ..., "count": n}] computed from the data: no free text, no names.
    reasons = models.JSONField(default=list, blank=True)
    # Categories the person asked not to be discussed: hidden from every attendee.
    excluded_categories = models.JSONField(default=list, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    minutes_ct = models.BinaryField(null=True, editable=False)  # sealed {"text": ...}
    minutes_visibility = models.CharField(
        _("who may read the minutes"),
        max_length=10,
        choices=MinutesVisibility.choices,
        default=MinutesVisibility.CONSENTED,
    )
    # The survivor's voice, recorded by the navigator before the meeting: sealed
    # {"know": ..., "decide": ..., "representative": ...} in the person's own words.
    voice_ct = models.BinaryField(null=True, editable=False)
    attendance_wish = models.CharField(
        _("attend or be represented"), max_length=12, choices=AttendanceWish.choices, blank=True
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="agenda_item_once")
        ]

    def __str__(self):
        return self.person.pseudonym


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ActionItem(BaseModel):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="actions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    text_ct = models.BinaryField(editable=False)  # sealed {"text": ...}
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    # Optional links, by id (the plans and referrals apps evolve apart).
    goal_id = models.UUIDField(null=True, blank=True)
    referral_id = models.UUIDField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Follow-up (issue 12, part B): the plan step this action became (plans.Step, by id), or the
    # moment a conference task (one not in the plan) was marked done, and by whom.
    step_id = models.UUIDField(null=True, blank=True, db_index=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner_user__isnull=False) | models.Q(owner_agency__isnull=False),
                name="action_item_has_owner",
            )
        ]
        # The dashboard's conference tasks (``queries.tasks_for``): the open ones of a user or an
        # agency, soonest due first, without reading the network's done and cancelled ones.
        indexes = [
            models.Index(
                fields=[field, "due_on"],
                condition=models.Q(status="open", step_id__isnull=True),
                name=f"action_open_{name}",
            )
            for field, name in (("owner_user", "user"), ("owner_agency", "agency"))
        ]
