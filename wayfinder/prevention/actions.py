"""Every write of the prevention app: one function, one transaction, one audit event (ids only).

The one exception is ``count_help_visit``: a public page view adds one to a day's counter and
writes no audit event (there is no actor, and an event per visit would be a visit log).
"""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wayfinder.accounts.actor import Actor
from wayfinder.accounts.models import Agency
from wayfinder.assessments.instruments import Instrument, get_instrument
from wayfinder.assessments.scoring import AnswerError, clean_value, compute_scores
from wayfinder.audit.events import record
from wayfinder.core.errors import CodedError
from wayfinder.prevention.errors import PreventionErrorCode as Code
from wayfinder.prevention.models import (
    Audience,
    Campaign,
    Channel,
    Course,
    HelpVisit,
    Level,
    LinkCode,
    Material,
    OutreachEvent,
    Registration,
    RegistrationStatus,
    Sector,
    TrainingSession,
)
from wayfinder.prevention.queries import can_train

KNOWLEDGE_CHECK = "trafficking_knowledge"
LANGUAGES = ("en", "es")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")
_CODE = re.compile(r"^[A-Z0-9]{3,16}$")
_ZIP = re.compile(r"^\d{5}$")


def _audit(action: str, actor: Actor | None, obj, **detail) -> None:
    record(action, category="prevention", actor=actor, obj=obj, detail=detail)


def _trainer(actor: Actor) -> Agency:
    """The actor's agency, if they run trainings and campaigns there."""
    if not can_train(actor) or actor.agency is None:
        raise PermissionDenied
    return actor.agency


def _own(actor: Actor, obj) -> None:
    """Only the agency that made a course, session or campaign changes it."""
    if obj.agency_id != _trainer(actor).pk:
        raise PermissionDenied


def _text(value: str, field: str, max_length: int = 200) -> str:
    value = (value or "").strip()
    if not value:
        raise CodedError(Code.FIELD_REQUIRED, _("This field is required."), field=field)
    return value[:max_length]


def _choice(value: str, choices, field: str) -> str:
    if value not in choices:
        raise CodedError(Code.CHOICE_UNKNOWN, _("Choose one of the options."), field=field)
    return value


def _choices(values, choices, field: str) -> list[str]:
    values = list(dict.fromkeys(values or []))
    for v in values:
        _choice(v, choices, field)
    if not values:
        raise CodedError(Code.FIELD_REQUIRED, _("Choose at least one."), field=field)
    return values


# --- courses and materials ----------------------------------------------------------------------


@transaction.atomic
def create_course(
    *, actor: Actor, title: str, level: str, objectives: str, duration_minutes: int
) -> Course:
    """A course in the network's catalogue, owned by the actor's agency."""
    agency = _trainer(actor)
    course = Course.objects.create(
        agency=agency,
        title=_text(title, "title"),
        level=_choice(level, Level.values, "level"),
        objectives=_text(objectives, "objectives", 4000),
        duration_minutes=max(5, min(int(duration_minutes), 6000)),
    )
    _audit("prevention.course_create", actor, course, level=level)
    return course


@transaction.atomic
def add_material(
    *,
    actor: Actor,
    file: File,
    title: str,
    language: str,
    alt_text: str = "",
    course: Course | None = None,
    campaign: Campaign | None = None,
) -> Material:
    """A file for a course or a campaign, in one language; an image needs its text alternative."""
    owner = course or campaign
    if owner is None:
        raise PermissionDenied
    _own(actor, owner)
    alt_text = (alt_text or "").strip()
    if (file.name or "").lower().endswith(IMAGE_SUFFIXES) and not alt_text:
        raise CodedError(
            Code.ALT_TEXT_REQUIRED,
            _("Describe the image for people who cannot see it."),
            field="alt_text",
        )
    material = Material.objects.create(
        course=course,
        campaign=campaign,
        title=_text(title, "title"),
        file=file,
        language=_choice(language, LANGUAGES, "language"),
        alt_text=alt_text[:500],
    )
    _audit("prevention.material_add", actor, material, language=language)
    return material


# --- sessions, registration, attendance, knowledge checks ---------------------------------------


@transaction.atomic
def create_session(
    *,
    actor: Actor,
    course: Course,
    starts_at: datetime,
    sector: str,
    language: str,
    capacity: int,
    place: str = "",
    video_link: str = "",
) -> TrainingSession:
    """A session of a course, run by the actor for their agency."""
    agency = _trainer(actor)
    if not (place or "").strip() and not (video_link or "").strip():
        raise CodedError(Code.PLACE_REQUIRED, _("Give a place or a video link."), field="place")
    if not 1 <= int(capacity) <= 1000:
        raise CodedError(
            Code.CAPACITY_INVALID, _("Seats must be between 1 and 1000."), field="capacity"
        )
    session = TrainingSession.objects.create(
        course=course,
        agency=agency,
        starts_at=starts_at,
        place=(place or "").strip()[:200],
        video_link=(video_link or "").strip(),
        sector=_choice(sector, Sector.values, "sector"),
        language=_choice(language, LANGUAGES, "language"),
        capacity=int(capacity),
        trainer=actor.user,
    )
    _audit("prevention.session_create", actor, session, course=str(course.pk))
    return session


@transaction.atomic
def register(
    session: TrainingSession, *, name: str, email: str, organisation: str, sector: str
) -> Registration:
    """A public registration: a seat while one is left, else the waitlist.

    The seat is taken with one conditional UPDATE (``seats_taken < capacity``): the database
    decides between simultaneous registrations, so the last seat goes to exactly one of them.
    """
    email = _text(email, "email", 254).lower()
    if Registration.objects.filter(session=session, email=email, purged_at=None).exists():
        raise CodedError(
            Code.ALREADY_REGISTERED,
            _("This e-mail address is already registered for this session."),
            field="email",
        )
    took = TrainingSession.objects.filter(pk=session.pk, seats_taken__lt=F("capacity")).update(
        seats_taken=F("seats_taken") + 1
    )
    registration = Registration.objects.create(
        session=session,
        status=RegistrationStatus.REGISTERED if took else RegistrationStatus.WAITLISTED,
        name=_text(name, "name"),
        email=email,
        organisation=(organisation or "").strip()[:200],
        sector=_choice(sector, Sector.values, "sector"),
    )
    record(
        "prevention.register",
        category="prevention",
        obj=registration,
        via="web",
        detail={"session": str(session.pk), "status": registration.status},
    )
    return registration


@transaction.atomic
def take_attendance(session: TrainingSession, *, actor: Actor, present_ids) -> int:
    """Mark who attended (registered trainees only); returns how many are present."""
    _own(actor, session)
    present = {str(pk) for pk in present_ids}
    # A purged trainee's attendance stays as it was: the counts must not change after a purge.
    rows = session.registrations.filter(status=RegistrationStatus.REGISTERED, purged_at=None)
    rows.update(attended=False)
    n = rows.filter(pk__in=present).update(attended=True)
    _audit("prevention.attendance", actor, session, present=n)
    return n


def knowledge_check() -> Instrument:
    return get_instrument(KNOWLEDGE_CHECK)


def score_answers(instrument: Instrument, raw: dict) -> float:
    """The share of questions answered right (0-100); every question must be answered."""
    answers = {}
    for item in instrument.all_items():
        value = raw.get(item.id)
        if value in (None, ""):
            raise CodedError(Code.ANSWERS_INCOMPLETE, _("Answer every question."), field=item.id)
        try:
            answers[item.id] = clean_value(item, value)
        except AnswerError:
            raise CodedError(
                Code.ANSWERS_INCOMPLETE, _("Answer every question."), field=item.id
            ) from None
    [result] = [s for s in compute_scores(instrument, answers) if s.id == "correct"]
    total = len(instrument.scores[0].items)
    return round(100 * (result.value or 0) / total, 1)


@transaction.atomic
def record_check(registration: Registration, *, actor: Actor, phase: str, answers: dict) -> float:
    """Score a trainee's pre or post knowledge check; only the score is kept."""
    session = registration.session
    _own(actor, session)
    if phase not in ("pre", "post"):
        raise CodedError(Code.CHOICE_UNKNOWN, _("Choose before or after."), field="phase")
    if registration.status != RegistrationStatus.REGISTERED:
        raise CodedError(
            Code.NOT_ATTENDED, _("Only registered trainees take the check."), status=409
        )
    score = score_answers(knowledge_check(), answers)
    setattr(registration, f"{phase}_score", score)
    registration.save(update_fields=[f"{phase}_score", "updated_at"])
    _audit("prevention.check", actor, registration, phase=phase)
    return score


@transaction.atomic
def issue_certificate(registration: Registration, *, actor: Actor) -> Registration:
    """A certificate number for a trainee who attended and finished the post check."""
    _own(actor, registration.session)
    if registration.purged_at is not None:
        raise CodedError(Code.PURGED, _("This trainee's details were purged."), status=409)
    if not registration.completed:
        raise CodedError(
            Code.NOT_ATTENDED,
            _("A certificate needs attendance and the post check."),
            status=409,
        )
    if not registration.certificate_number:
        registration.certificate_number = "WF-" + secrets.token_hex(4).upper()
        registration.save(update_fields=["certificate_number", "updated_at"])
        _audit("prevention.certificate", actor, registration)
    return registration


@transaction.atomic
def purge_trainees(*, now: datetime | None = None, days: int | None = None) -> int:
    """Blank the name, e-mail and organisation of trainees whose session ended long enough ago.

    Sector, status, attendance and scores stay, so every report's figures stay the same.
    """
    now = now or timezone.now()
    days = settings.WAYFINDER_TRAINEE_RETENTION_DAYS if days is None else days
    due = Registration.objects.filter(
        purged_at=None, session__starts_at__lt=now - timedelta(days=days)
    )
    n = due.update(name="", email="", organisation="", purged_at=now)
    if n:
        record(
            "prevention.purge",
            category="prevention",
            object_type="prevention.registration",
            via="command",
            detail={"purged": n, "retention_days": days},
        )
    return n


# --- campaigns ----------------------------------------------------------------------------------


@transaction.atomic
def create_campaign(
    *,
    actor: Actor,
    name: str,
    audiences: list[str],
    channels: list[str],
    languages: list[str],
    starts_on: date,
    ends_on: date | None = None,
) -> Campaign:
    agency = _trainer(actor)
    campaign = Campaign.objects.create(
        agency=agency,
        name=_text(name, "name"),
        audiences=_choices(audiences, Audience.values, "audiences"),
        channels=_choices(channels, Channel.values, "channels"),
        languages=_choices(languages, LANGUAGES, "languages"),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    _audit("prevention.campaign_create", actor, campaign)
    return campaign


@transaction.atomic
def add_link_code(
    campaign: Campaign, *, actor: Actor, code: str = "", material: Material | None = None
) -> LinkCode:
    """A short code for the help page (``/h/CODE``); a random one when none is given."""
    _own(actor, campaign)
    code = (code or "").strip().upper() or secrets.token_hex(3).upper()
    if not _CODE.match(code):
        raise CodedError(Code.CODE_INVALID, _("Use 3 to 16 letters or digits."), field="code")
    if LinkCode.objects.filter(code=code).exists():
        raise CodedError(Code.CODE_TAKEN, _("That code is already used."), field="code")
    if material is not None and material.campaign_id != campaign.pk:
        raise PermissionDenied
    link = LinkCode.objects.create(code=code, campaign=campaign, material=material)
    _audit("prevention.code_add", actor, link, campaign=str(campaign.pk))
    return link


@transaction.atomic
def record_outreach(
    campaign: Campaign,
    *,
    actor: Actor,
    date: date,
    zip_code: str,
    audience: str,
    language: str,
    people_reached: int,
    materials_count: int = 0,
    materials=(),
) -> OutreachEvent:
    """An outreach event: where (ZIP only), for whom, and how many people. Never a name."""
    _own(actor, campaign)
    zip_code = (zip_code or "").strip()
    if not _ZIP.match(zip_code):
        raise CodedError(Code.ZIP_INVALID, _("A ZIP code is five digits."), field="zip_code")
    event = OutreachEvent.objects.create(
        campaign=campaign,
        date=date,
        zip_code=zip_code,
        audience=_choice(audience, Audience.values, "audience"),
        language=_choice(language, LANGUAGES, "language"),
        people_reached=max(0, int(people_reached)),
        materials_count=max(0, int(materials_count)),
    )
    event.materials.set([m for m in materials if m.campaign_id == campaign.pk])
    _audit("prevention.outreach", actor, event, reached=event.people_reached)
    return event


def count_help_visit(code: LinkCode | None, *, day: date | None = None) -> None:
    """One more visit to the help page today, through this code (or none). Nothing else."""
    day = day or timezone.localdate()
    with transaction.atomic():
        if HelpVisit.objects.filter(day=day, code=code).update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                HelpVisit.objects.create(day=day, code=code, count=1)
        except IntegrityError:  # another visit made today's row first
            HelpVisit.objects.filter(day=day, code=code).update(count=F("count") + 1)
