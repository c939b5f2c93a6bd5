"""Anonymous feedback, by construction (see ``docs/feedback.md``).

Nothing here can be joined to a person:

- ``Invitation`` is a single-use code, stored as its keyed hash. It names an agency and a service
  category only: never a person, a user, a session or a moment finer than a day.
- ``Response`` holds the answers (no free text), the agency, the service category and the day.
  No foreign key to a person, a user or an invitation; no session key; no time of day. Its id is
  random (UUID4), so ids carry no order either.
- ``Comment`` is the survey's free text, in its own table with no link to its response, so the
  text cannot be read beside the answers that came with it.
- ``WayfinderFeedback`` is the separate "feedback about Wayfinder" form, read by network admins.

None of them derive from ``core.models.BaseModel``: its ``created_at`` is a time of day.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from wayfinder.accounts.models import Agency
from wayfinder.core.service_categories import ServiceCategory


class Channel(models.TextChoices):
    CARD = "card", _("Printed card")
    PORTAL = "portal", _("Survivor portal")
    HANDOVER = "handover", _("Hand-over mode")


class Invitation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    token_hash = models.CharField(max_length=64, unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    service_category = models.CharField(max_length=32, choices=ServiceCategory.choices)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    issued_on = models.DateField()
    expires_on = models.DateField()
    used = models.BooleanField(default=False)

    class Meta:
        ordering = ["issued_on"]


class Response(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    service_category = models.CharField(max_length=32, choices=ServiceCategory.choices)
    answered_on = models.DateField()
    instrument_id = models.CharField(max_length=63)
    instrument_version = models.PositiveSmallIntegerField()
    # item id -> option value, or "declined"; items not shown or not answered are absent.
    answers = models.JSONField(default=dict)

    class Meta:
        ordering = ["answered_on"]
        indexes = [models.Index(fields=["agency", "answered_on"])]


class CommentStatus(models.TextChoices):
    HELD = "held", _("Waiting for review")
    SHOWN = "shown", _("Shown")
    DELETED = "deleted", _("Deleted")


class Comment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    received_on = models.DateField()
    text = models.TextField(blank=True)  # emptied when an admin deletes it
    # What the check found ("name", "phone", "address", "email"): the comment waits for review.
    flags = models.JSONField(default=list)
    status = models.CharField(max_length=8, choices=CommentStatus.choices)
    reviewed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["received_on"]


class Sender(models.TextChoices):
    STAFF = "staff", _("I work or volunteer here")
    SURVIVOR = "survivor", _("I get help here")
    OTHER = "other", _("Other, or I would rather not say")


class WayfinderFeedback(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    received_on = models.DateField()
    sender = models.CharField(max_length=12, choices=Sender.choices)
    text = models.TextField()
    read = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_on"]
