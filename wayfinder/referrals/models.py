"""Closed-loop referrals: a FHIR ``ServiceRequest`` + ``Task`` pair, with the SDOHCC Task statuses.

The workflow (``TRANSITIONS``) is the SDOH Clinical Care referral Task value set, which has no
``received``: the partner's first opening is an event (``EventKind.OPENED``), not a status.

What the partner may see of the person is never stored here: it is computed at each read from the
consents in force (``queries.referral_payload``), so a withdrawal or an expiry cuts it at once.
Free text (the note to the partner, notes on transitions) is sealed under the person's key.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wayfinder.accounts.models import Agency
from wayfinder.core.interpretation import InterpretationFields
from wayfinder.core.models import BaseModel
from wayfinder.core.service_categories import ServiceCategory
from wayfinder.people.models import Person

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U


def new_reference() -> str:
    """A short random reference such as R-7K3Q-9D2X: safe to say on the phone or print."""
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"R-{chars[:4]}-{chars[4:]}"


class Status(models.TextChoices):
    """FHIR ``Task.status`` codes of the SDOHCC referral value set (no ``ready``, no ``received``)."""

    DRAFT = "draft", _("Draft (not sent)")
    REQUESTED = "requested", _("Sent, waiting for a reply")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Declined")
    IN_PROGRESS = "in-progress", _("In progress")
    ON_HOLD = "on-hold", _("On hold")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    FAILED = "failed", _("Could not be completed")
    ENTERED_IN_ERROR = "entered-in-error", _("Entered in error")


OPEN_STATUSES = (Status.REQUESTED, Status.ACCEPTED, Status.IN_PROGRESS, Status.ON_HOLD)
CLOSED_STATUSES = (
    Status.REJECTED,
    Status.COMPLETED,
    Status.CANCELLED,
    Status.FAILED,
    Status.ENTERED_IN_ERROR,
)


class Side(models.TextChoices):
    SENDER = "sender", _("The referring agency")
    RECIPIENT = "recipient", _("The receiving agency")


# Moves no one chooses: the system makes them, inside another action (never a button).
AUTOMATIC = "automatic"


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    side: str  # Side: who may make it
    needs_reason: bool = False
    needs_outcome: bool = False


_OPEN_OR_DRAFT = frozenset({Status.DRAFT, *OPEN_STATUSES})
TRANSITIONS = {
    t.name: t
    for t in (
        Transition("submit", frozenset({Status.DRAFT}), Status.REQUESTED, Side.SENDER),
        Transition("accept", frozenset({Status.REQUESTED}), Status.ACCEPTED, Side.RECIPIENT),
        Transition("reject", frozenset({Status.REQUESTED}), Status.REJECTED, Side.RECIPIENT, True),
        Transition("start", frozenset({Status.ACCEPTED}), Status.IN_PROGRESS, Side.RECIPIENT),
        Transition("hold", frozenset({Status.IN_PROGRESS}), Status.ON_HOLD, Side.RECIPIENT),
        Transition("resume", frozenset({Status.ON_HOLD}), Status.IN_PROGRESS, Side.RECIPIENT),
        Transition(
            "complete",
            frozenset({Status.IN_PROGRESS}),
            Status.COMPLETED,
            Side.RECIPIENT,
            needs_outcome=True,
        ),
        Transition(
            "fail",
            frozenset({Status.ACCEPTED, Status.IN_PROGRESS, Status.ON_HOLD}),
            Status.FAILED,
            Side.RECIPIENT,
            True,
        ),
        Transition("cancel", _OPEN_OR_DRAFT, Status.CANCELLED, Side.SENDER, True),
        # The person withdrew the consent the referral went under (``consent.revoke_consent``).
        Transition(
            "consent_withdrawn",
            frozenset({Status.REQUESTED, Status.ACCEPTED, Status.IN_PROGRESS}),
            Status.ON_HOLD,
            AUTOMATIC,
            True,
        ),
        Transition(
            "mark_error",
            frozenset(set(Status.values) - {Status.ENTERED_IN_ERROR}),
            Status.ENTERED_IN_ERROR,
            Side.SENDER,
            True,
        ),
    )
}

TRANSITION_LABELS = {
    "submit": _("Send"),
    "accept": _("Accept"),
    "reject": _("Decline"),
    "start": _("Start the service"),
    "hold": _("Put on hold"),
    "resume": _("Resume"),
    "complete": _("Mark completed"),
    "fail": _("Could not be completed"),
    "cancel": _("Cancel the referral"),
    "mark_error": _("Mark as entered in error"),
    "consent_withdrawn": _("Put on hold: consent withdrawn"),
}


class Reason(models.TextChoices):
    """Why a referral was declined, cancelled, failed or paused (FHIR ``Task.statusReason``)."""

    NO_CAPACITY = "no_capacity", _("No capacity, or the waitlist is closed")
    NOT_ELIGIBLE = "not_eligible", _("The person is not eligible")
    SERVICE_MISMATCH = "service_mismatch", _("We do not offer what is needed")
    PERSON_DECLINED = "person_declined", _("The person decided not to go ahead")
    UNABLE_TO_CONTACT = "unable_to_contact", _("Could not reach the person safely")
    SAFETY_CONCERN = "safety_concern", _("A safety concern")
    PERSON_MOVED = "person_moved", _("The person moved away")
    NO_LONGER_NEEDED = "no_longer_needed", _("No longer needed")
    DUPLICATE = "duplicate", _("A duplicate referral")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    SENT_IN_ERROR = "sent_in_error", _("Sent in error")
    OTHER = "other", _("Another reason (explained in the note)")


class Outcome(models.TextChoices):
    """What came of a completed referral (FHIR ``Task.output`` resulting-activity)."""

    SERVICE_PROVIDED = "service_provided", _("Service provided: the need is met")
    PARTLY_MET = "partly_met", _("Service provided: the need is partly met")
    REFERRED_ON = "referred_on", _("Referred on to another service")


class SurvivorConfirmation(models.TextChoices):
    """The person's own answer, in the survivor portal, to "Did you get the help?"."""

    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class Priority(models.TextChoices):
    """FHIR request priority."""

    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent (this week)")
    ASAP = "asap", _("As soon as possible (today)")


# The inbox's order of priorities (most pressing first), and the same as a SQL expression: the
# inbox index below is built on it, so a section is read in this order and stops at its page.
PRIORITY_ORDER = {Priority.ASAP.value: 0, Priority.URGENT.value: 1, Priority.ROUTINE.value: 2}
PRIORITY_RANK = models.Case(
    *(models.When(priority=p, then=models.Value(n)) for p, n in PRIORITY_ORDER.items()),
    default=models.Value(9),
    output_field=models.IntegerField(),
)


# From a need's urgency (core.service_categories.Urgency) to the request's priority.
PRIORITY_FOR_URGENCY = {
    "immediate": Priority.ASAP,
    "high": Priority.URGENT,
    "medium": Priority.ROUTINE,
    "low": Priority.ROUTINE,
}


class Delivery(models.TextChoices):
    NETWORK = "network", _("In Wayfinder (the partner's inbox)")
    PACKET = "packet", _("Printed or e-mailed packet (the organisation is not on Wayfinder)")


class Referral(InterpretationFields, BaseModel):
    """One referral of one person to one service or agency, and where it stands."""

    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="referrals")
    sending_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="referrals_sent"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The network agency that receives it; None for an organisation that has no agency here.
    recipient_agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    # The directory listing it was made from (HSDS ids; the directory may re-import them).
    organization = models.ForeignKey(
        "directory.Organization",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    service = models.ForeignKey(
        "directory.Service",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # Names as they were when the referral was made, for the history and the packet.
    recipient_name = models.CharField(_("referred to"), max_length=300)
    service_name = models.CharField(_("service"), max_length=300, blank=True)
    service_category = models.CharField(
        _("kind of service"), max_length=32, choices=ServiceCategory.choices
    )
    # The assessed need (assessments.Need) and the plan goal (plans.Goal) it answers, by id.
    need_id = models.UUIDField(null=True, blank=True, db_index=True)
    goal_id = models.UUIDField(null=True, blank=True, db_index=True)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.ROUTINE
    )
    delivery = models.CharField(max_length=8, choices=Delivery.choices)
    # FHIR ServiceRequest.orderDetail contacting-subject-prohibited: the safe default.
    contact_prohibited = models.BooleanField(_("do not contact the person directly"), default=True)
    note_ct = models.BinaryField(null=True, editable=False)  # sealed {"text": ...}
    # The reason for referral, written for the partner; shared only under the "referral_reason"
    # consent category.
    referral_reason_ct = models.BinaryField(
        _("reason for referral"), null=True, editable=False
    )  # sealed {"text": ...}

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # Bumped by every transition and update: a caller acting on an older version has a conflict.
    version = models.PositiveIntegerField(default=1)
    status_changed_at = models.DateTimeField()
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    # The consents that allowed sending it (ids); what is shown is re-checked at every read.
    consent_ids = models.JSONField(default=list, blank=True)

    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)  # accepted or declined
    first_opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField()
    # The person's confirmation of the closed loop, beside the partner's "completed" (portal).
    survivor_confirmation = models.CharField(
        _("the person says they got the help"),
        max_length=8,
        choices=SurvivorConfirmation.choices,
        blank=True,
    )
    survivor_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        indexes = [
            models.Index(fields=["recipient_agency", "status"], name="referral_recipient_status"),
            # The partner's inbox (``queries.inbox``): its open referrals oldest sent first, read
            # along the index up to the page's rows.
            models.Index(
                fields=["recipient_agency", "sent_at", "id"],
                name="referral_inbox_open",
                condition=Q(status__in=OPEN_STATUSES, delivery=Delivery.NETWORK),
            ),
            # Its sections when a partner has more open referrals than one read takes
            # (``queries.section_qs``): overdue and new by priority, then oldest sent; active
            # by the longest without an update.
            models.Index(
                "recipient_agency",
                PRIORITY_RANK,
                "sent_at",
                "id",
                name="referral_inbox_priority",
                condition=Q(status__in=OPEN_STATUSES, delivery=Delivery.NETWORK),
            ),
            models.Index(
                fields=["recipient_agency", "last_activity_at", "id"],
                name="referral_inbox_activity",
                condition=Q(status__in=OPEN_STATUSES, delivery=Delivery.NETWORK),
            ),
            models.Index(fields=["sending_agency", "status"], name="referral_sender_status"),
            # The sent tab, a page at a time, the most recently active first (``queries.sent``)
            models.Index(
                fields=["sending_agency", "last_activity_at", "id"], name="referral_sent_activity"
            ),
            models.Index(fields=["person", "-created_at"], name="referral_person_created"),
            models.Index(fields=["updated_at"], name="referral_updated"),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def allowed(self, side: str) -> list[str]:
        """The transitions this side could make now (for the buttons)."""
        return [t.name for t in TRANSITIONS.values() if t.side == side and self.status in t.sources]


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    TRANSITION = "transition", _("Status changed")
    OPENED = "opened", _("First opened by the receiving agency")
    UPDATE = "update", _("Update")
    REMINDER = "reminder", _("Reminder sent")
    PACKET_PRINTED = "packet_printed", _("Referral packet printed")
    PACKET_EMAILED = "packet_emailed", _("Notice e-mailed to the organisation")


class ReferralEvent(BaseModel):
    """One line of a referral's timeline: who did what, when (free text sealed)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The referring agency recorded the answer of an organisation that is not on Wayfinder.
    on_behalf = models.BooleanField(default=False)
    reason = models.CharField(max_length=24, choices=Reason.choices, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    note_ct = models.BinaryField(null=True, editable=False)  # sealed {"text": ...}

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["referral", "created_at"], name="referral_event_time")]


class NotificationKind(models.TextChoices):
    NEW_REFERRAL = "new_referral", _("New referral")
    STATUS_CHANGED = "status_changed", _("A referral changed status")
    UPDATE = "update", _("A referral has an update")
    NOT_ACKNOWLEDGED = "not_acknowledged", _("A referral is waiting for a reply")
    STALE = "stale", _("A referral has had no update for a while")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn: the referral is on hold")


class Notification(BaseModel):
    """An in-app notice about a referral, for one user or for a whole agency. No personal data."""

    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="referral_notifications",
    )
    recipient_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notifications")
    status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "pk"]
        indexes = [
            models.Index(fields=["recipient_user", "read_at"], name="notification_user_unread"),
            models.Index(fields=["recipient_agency", "read_at"], name="notification_agency_unread"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient_user__isnull=False)
                | models.Q(recipient_agency__isnull=False),
                name="notification_has_recipient",
            )
        ]
