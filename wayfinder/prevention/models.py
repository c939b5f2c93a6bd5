"""Prevention: SOAR trainings, awareness campaigns and the counts behind the public help page.

Nothing here is about a survivor. Trainees are professionals or community members; what is kept
of them is the minimum (name, e-mail, organisation, sector) and ``purge_trainees`` blanks it after
the retention period while the row (sector, attendance, scores) stays for the counts. Outreach
events record a ZIP code and a head count, never a name. Help-page visits are one counter per day
and campaign code: no address, no browser, no cookie.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wayfinder.accounts.models import Agency
from wayfinder.core.models import BaseModel


class Level(models.TextChoices):
    """SOAR's three levels (HHS Office on Trafficking in Persons), then the network's own."""

    SOAR_INDIVIDUALS = "soar_individuals", _("SOAR for individuals")
    SOAR_ORGANIZATIONS = "soar_organizations", _("SOAR for organizations")
    SOAR_COMMUNITIES = "soar_communities", _("SOAR for communities")
    OWN = "own", _("Our own course")


class Sector(models.TextChoices):
    HEALTH_CARE = "health_care", _("Health care")
    BEHAVIORAL_HEALTH = "behavioral_health", _("Behavioural health")
    SOCIAL_SERVICES = "social_services", _("Social services")
    PUBLIC_HEALTH = "public_health", _("Public health")
    EDUCATION = "education", _("Education")
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
    FAITH_COMMUNITY = "faith_community", _("Faith and community")
    BUSINESS = "business", _("Business")
    YOUTH = "youth", _("Youth")
    OTHER = "other", _("Other")


class Audience(models.TextChoices):
    """Who a campaign or an outreach event is for: at-risk populations first."""

    FOSTER_CARE_YOUTH = "foster_care_youth", _("Youth in foster care")
    RUNAWAY_HOMELESS_YOUTH = "runaway_homeless_youth", _("Runaway and homeless youth")
    MIGRANT_WORKERS = "migrant_workers", _("Migrant workers")
    SUBSTANCE_USE = "substance_use", _("People with substance use disorders")
    LGBTQ_YOUTH = "lgbtq_youth", _("LGBTQ+ youth")
    PEOPLE_WITH_DISABILITIES = "people_with_disabilities", _("People with disabilities")
    NATIVE_COMMUNITIES = "native_communities", _("American Indian and Alaska Native communities")
    PROFESSIONALS = "professionals", _("Professionals who may meet victims")
    GENERAL_PUBLIC = "general_public", _("General public")
    OTHER = "other", _("Others")


class Channel(models.TextChoices):
    PRINT = "print", _("Posters and leaflets")
    SOCIAL_MEDIA = "social_media", _("Social media")
    RADIO = "radio", _("Radio")
    TELEVISION = "television", _("Television")
    WEB = "web", _("Websites")
    EVENTS = "events", _("Events and tabling")
    SCHOOLS = "schools", _("Schools")
    OTHER = "other", _("Other")


class Course(BaseModel):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("level"), max_length=24, choices=Level.choices)
    objectives = models.TextField(_("learning objectives"), help_text=_("One per line."))
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"))

    class Meta:
        ordering = ["level", "title", "pk"]

    def __str__(self):
        return self.title

    @property
    def objective_list(self) -> list[str]:
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]


class Campaign(BaseModel):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    audiences = models.JSONField(_("audiences"), default=list)  # Audience codes
    channels = models.JSONField(_("channels"), default=list)  # Channel codes
    languages = models.JSONField(_("languages"), default=list)  # "en", "es", ...
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "name", "pk"]

    def __str__(self):
        return self.name

    @property
    def audience_labels(self) -> list[str]:
        return [str(Audience(a).label) for a in self.audiences if a in Audience.values]

    @property
    def channel_labels(self) -> list[str]:
        return [str(Channel(c).label) for c in self.channels if c in Channel.values]


class Material(BaseModel):
    """A file for a course or a campaign, in one language; an image has its text alternative."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="materials", null=True, blank=True
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="materials", null=True, blank=True
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="prevention/%Y/%m/")
    language = models.CharField(_("language"), max_length=8)
    alt_text = models.CharField(_("text alternative (for images)"), max_length=500, blank=True)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(course__isnull=False) | models.Q(campaign__isnull=False),
                name="material_has_an_owner",
            )
        ]

    def __str__(self):
        return self.title


class LinkCode(BaseModel):
    """A short code printed on a material (or as a QR code) that leads to ``/h/<code>``."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="codes")
    material = models.ForeignKey(
        Material, on_delete=models.SET_NULL, related_name="codes", null=True, blank=True
    )

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.code


class HelpVisit(models.Model):
    """How many times the help page was opened on a day, through one code (or none)."""

    day = models.DateField()
    code = models.ForeignKey(LinkCode, on_delete=models.CASCADE, null=True, related_name="visits")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["day", "code"], name="help_visit_day_code"),
            models.UniqueConstraint(
                fields=["day"], condition=models.Q(code=None), name="help_visit_day_direct"
            ),
        ]


class OutreachEvent(BaseModel):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="events")
    date = models.DateField(_("date"))
    zip_code = models.CharField(_("ZIP code"), max_length=5)
    audience = models.CharField(_("audience"), max_length=32, choices=Audience.choices)
    language = models.CharField(_("language"), max_length=8)
    materials = models.ManyToManyField(Material, blank=True, related_name="+")
    materials_count = models.PositiveIntegerField(_("materials handed out"), default=0)
    people_reached = models.PositiveIntegerField(_("people reached"))

    class Meta:
        ordering = ["-date", "pk"]


class TrainingSession(BaseModel):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("starts"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    sector = models.CharField(_("audience sector"), max_length=24, choices=Sector.choices)
    language = models.CharField(_("language"), max_length=8)
    capacity = models.PositiveIntegerField(_("seats"))
    # Seats given so far: a registration takes one with a conditional UPDATE, so twenty at once
    # for the last seat give exactly one (see actions.register).
    seats_taken = models.PositiveIntegerField(default=0)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(seats_taken__lte=models.F("capacity")),
                name="session_seats_within_capacity",
            )
        ]

    def __str__(self):
        return f"{self.course.title} {self.starts_at:%Y-%m-%d}"

    @property
    def is_full(self) -> bool:
        return self.seats_taken >= self.capacity


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waitlist")


class Registration(BaseModel):
    """One trainee at one session. Name, e-mail and organisation are blanked by the purge."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="registrations"
    )
    status = models.CharField(max_length=12, choices=RegistrationStatus.choices)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), max_length=254)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=24, choices=Sector.choices)
    attended = models.BooleanField(default=False)
    pre_score = models.FloatField(null=True, blank=True)  # share answered right, 0-100
    post_score = models.FloatField(null=True, blank=True)
    certificate_number = models.CharField(max_length=20, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    @property
    def completed(self) -> bool:
        """Attended and finished the post check: earns a certificate."""
        return self.attended and self.post_score is not None

    @property
    def gain(self) -> float | None:
        if self.pre_score is None or self.post_score is None:
            return None
        return self.post_score - self.pre_score
