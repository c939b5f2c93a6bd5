"""Reads of the prevention app: who may run it, the help page's services, rosters and checks.

Nothing here reads a person record: trainers see no survivor, and the gate keeps it that way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from wayfinder.accounts.actor import Actor
from wayfinder.accounts.models import Role
from wayfinder.directory.browse.queries import Card, cards, open_now_q, schedule_text
from wayfinder.directory.geo import miles, zip_centroid
from wayfinder.directory.models import (
    Address,
    Attribute,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
)
from wayfinder.directory.taxonomy import category_term_id
from wayfinder.prevention.models import (
    Campaign,
    Course,
    LinkCode,
    Registration,
    RegistrationStatus,
    TrainingSession,
)

TRAINING_ROLES = frozenset({Role.TRAINER, Role.AGENCY_ADMIN})
HELP_RADIUS_MILES = 50
HELP_MAX_RESULTS = 10


def can_train(actor: Actor | None) -> bool:
    """Trainers and outreach staff (and their agency's admins) run courses and campaigns."""
    return bool(actor is not None and actor.agency is not None and actor.roles & TRAINING_ROLES)


# --- the public help page ------------------------------------------------------------------------


def help_services() -> QuerySet[Service]:
    """Active directory services for walk-in or crisis help (``WAYFINDER_HELP_CATEGORIES``)."""
    terms = [category_term_id(c) for c in settings.WAYFINDER_HELP_CATEGORIES]
    crisis = Exists(Attribute.objects.filter(link_id=OuterRef("pk"), taxonomy_term_id__in=terms))
    walk_in = Q(attending_type__icontains="walk") | Q(attending_type__icontains="drop")
    walk_in_schedule = Exists(Schedule.objects.filter(walk_in, service_id=OuterRef("pk"))) | Exists(
        Schedule.objects.filter(walk_in, service_at_location__service_id=OuterRef("pk"))
    )
    return Service.objects.filter(status=ServiceStatus.ACTIVE).filter(
        Q(crisis) | Q(walk_in_schedule)
    )


@dataclass
class HelpResult:
    card: Card
    open_now: bool
    phones: list[str]
    address: str = ""  # of the nearest site
    hours: list[str] = field(default_factory=list)


def help_near(zip_code: str, *, now: datetime, open_only: bool = False) -> list[HelpResult]:
    """The nearest help services to a US ZIP code (within ``HELP_RADIUS_MILES``), nearest first."""
    origin = zip_centroid(zip_code)
    if origin is None:
        return []
    qs = help_services()
    open_ids = set(qs.filter(open_now_q(now)).values_list("id", flat=True))
    if open_only:
        qs = qs.filter(id__in=open_ids)
    nearest: dict[str, float] = {}
    site: dict[str, str] = {}  # service id -> its nearest location id
    for sid, location_id, lat, lng in ServiceAtLocation.objects.filter(
        service_id__in=qs.values("id"),
        location__latitude__isnull=False,
        location__longitude__isnull=False,
    ).values_list("service_id", "location_id", "location__latitude", "location__longitude"):
        if lat is None or lng is None:
            continue
        d = miles(origin[0], origin[1], lat, lng)
        if d <= HELP_RADIUS_MILES and d < nearest.get(sid, float("inf")):
            nearest[sid], site[sid] = d, location_id
    ranked = sorted(nearest.items(), key=lambda item: (item[1], item[0]))[:HELP_MAX_RESULTS]
    rows: list[tuple[str, float | None]] = list(ranked)
    found = cards(rows, members=False)
    ids = [pk for pk, _d in rows]
    phones: dict[str, list[str]] = {}
    for service_id, number in (
        Phone.objects.filter(service_id__in=ids)
        .order_by("number")
        .values_list("service_id", "number")
    ):
        phones.setdefault(service_id, []).append(number)
    # Address and hours on the page itself: the directory's pages use the site layout, which
    # sets a CSRF cookie, and this page promises none.
    addresses = {
        a.location_id: ", ".join(
            p for p in (a.address_1, a.address_2, a.city, a.state_province, a.postal_code) if p
        )
        for a in Address.objects.filter(location_id__in=site.values()).order_by("id")
    }
    hours: dict[str, list[str]] = {}
    for sched in Schedule.objects.filter(
        Q(service_id__in=ids) | Q(service_at_location__service_id__in=ids)
    ).select_related("service_at_location"):
        owner = sched.service_id or (
            sched.service_at_location.service_id if sched.service_at_location else None
        )
        if owner and (line := schedule_text(sched)):
            hours.setdefault(owner, []).append(line)
    return [
        HelpResult(
            card=c,
            open_now=c.service.pk in open_ids,
            phones=phones.get(c.service.pk, []),
            address=addresses.get(site.get(c.service.pk, ""), ""),
            hours=hours.get(c.service.pk, []),
        )
        for c in found
    ]


def link_code(code: str) -> LinkCode | None:
    code = (code or "").strip().upper()
    if not code or len(code) > 16:
        return None
    return LinkCode.objects.select_related("campaign").filter(code=code).first()


# --- trainings -----------------------------------------------------------------------------------


def courses() -> QuerySet[Course]:
    """The network's course catalogue (every agency's courses are open to every trainer)."""
    return Course.objects.select_related("agency").order_by("level", "title", "pk")


def sessions_of(actor: Actor) -> QuerySet[TrainingSession]:
    """The sessions of the actor's agency (only its trainers see their rosters)."""
    if not can_train(actor):
        return TrainingSession.objects.none()
    return (
        TrainingSession.objects.filter(agency=actor.agency)
        .select_related("course", "trainer")
        .order_by("starts_at", "pk")
    )


def roster(session: TrainingSession) -> list[Registration]:
    return list(session.registrations.order_by("status", "created_at", "pk"))


def campaigns_of(actor: Actor) -> QuerySet[Campaign]:
    if not can_train(actor):
        return Campaign.objects.none()
    return Campaign.objects.filter(agency=actor.agency).order_by("-starts_on", "name", "pk")


def _round(value: float) -> float:
    """One decimal, halves up (41.65 -> 41.7), as a person computing by hand would round."""
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Gain:
    """Knowledge-check scores (share right, 0-100) of the trainees who took both checks."""

    pairs: int
    pre_sum: float = 0.0
    post_sum: float = 0.0

    @property
    def pre_mean(self) -> float | None:
        return _round(self.pre_sum / self.pairs) if self.pairs else None

    @property
    def post_mean(self) -> float | None:
        return _round(self.post_sum / self.pairs) if self.pairs else None

    @property
    def change(self) -> float | None:
        """Mean after minus mean before, in points (from the unrounded means)."""
        return _round((self.post_sum - self.pre_sum) / self.pairs) if self.pairs else None


def knowledge_gain(registrations) -> Gain:
    """Pre and post means over the registrations with both scores, and the change between them."""
    pairs = [
        (r.pre_score, r.post_score)
        for r in registrations
        if r.pre_score is not None and r.post_score is not None
    ]
    return Gain(len(pairs), sum(p for p, _q in pairs), sum(q for _p, q in pairs))


def session_gain(session: TrainingSession) -> Gain:
    return knowledge_gain(
        session.registrations.filter(status=RegistrationStatus.REGISTERED).only(
            "pre_score", "post_score"
        )
    )


def course_gain(course: Course) -> Gain:
    return knowledge_gain(
        Registration.objects.filter(
            session__course=course, status=RegistrationStatus.REGISTERED
        ).only("pre_score", "post_score")
    )
