"""Saved report runs: the only thing the reports app writes.

A run keeps the definition and its version, the parameters and the published (already
suppressed) figures, so the same figures can be shown again later, unchanged.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wayfinder.accounts.models import Agency
from wayfinder.core.models import BaseModel


class ReportRun(BaseModel):
    definition = models.CharField(_("report"), max_length=32)
    definition_version = models.PositiveIntegerField()
    parameters = models.JSONField(default=dict)
    # The published figures only: counts as shown ("<11", "*"), shares and means as shown.
    result = models.JSONField(default=dict)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # None: the network's figures
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # None: a scheduled run
    scheduled = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return f"{self.definition} {self.created_at:%Y-%m-%d}"
