"""Services delivered: what an agency actually did for a person, counted by every funder."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wayfinder.accounts.models import Agency
from wayfinder.core.models import BaseModel
from wayfinder.core.service_categories import ServiceCategory
from wayfinder.people.models import Person


class Unit(models.TextChoices):
    MINUTES = "minutes", _("Minutes")
    SESSIONS = "sessions", _("Sessions")
    NIGHTS = "nights", _("Nights")
    ITEMS = "items", _("Items")
    TRIPS = "trips", _("Trips")


class ServiceDelivery(BaseModel):
    """One service delivered to one person by one agency on one day (no free text)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="services_delivered")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivered_on = models.DateField(_("date delivered"))
    category = models.CharField(
        _("kind of service"), max_length=32, choices=ServiceCategory.choices
    )
    quantity = models.PositiveIntegerField(_("how much"))
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    # The referral it fulfils, if any (a nullable link: a referral in error may be deleted).
    referral = models.ForeignKey(
        "referrals.Referral",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services_delivered",
    )

    class Meta:
        ordering = ["-delivered_on", "-created_at", "pk"]
        indexes = [
            models.Index(fields=["person", "-delivered_on"], name="delivery_person_date"),
            models.Index(fields=["delivered_on", "category"], name="delivery_date_category"),
            models.Index(fields=["agency", "delivered_on"], name="delivery_agency_date"),
        ]

    def __str__(self):
        return f"{self.category} {self.delivered_on}"
