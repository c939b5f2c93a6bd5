"""``/api/v1/persons/``: list, take in, read and change survivor records through the gate.

The same rules and the same reads as the pages: the list goes through ``person_page``, a record
through ``get_access`` and ``reveal_person`` (audited); writes through ``create_person`` and
``update_person``. What a caller may not see is absent from
the response (not null). Every optional field accepts ``"declined"`` (prefer not to say).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import models
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    StrictBool,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from wayfinder.access.gate import get_access
from wayfinder.api.errors import read_only
from wayfinder.api.schemas import (
    EMAIL_PATTERN,
    ErrorOut,
    Input,
    choice,
    date_pattern,
    date_range_pattern,
    integer,
    line,
    responses,
    text,
)
from wayfinder.core.categories import ALL_CATEGORIES
from wayfinder.core.errors import CodedError
from wayfinder.people.actions import create_person, update_person
from wayfinder.people.countries import country_choices
from wayfinder.people.errors import PersonErrorCode as Code
from wayfinder.people.models import (
    DECLINED,
    FIELD_CATEGORIES,
    PLAIN_FIELDS,
    ContactMethod,
    FaithPreference,
    GenderIdentity,
    Identity,
    Person,
    ReferralSource,
    SafetyLevel,
    StaffGenderPreference,
    TraffickingForm,
    YesNo,
)
from wayfinder.people.queries import likely_duplicates, person_page, reveal_person
from wayfinder.people.sealing import identity_of

router = Router(tags=["persons"])
prefix = "persons"

# --- input types -------------------------------------------------------------------------------

# Control characters (other than tab and newline) and lone surrogates cannot be stored in a
# PostgreSQL text column and have no business in a record: refuse them as bad input.
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
_BAD_IN_LINE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


def _text(value: str) -> str:
    if _BAD_CHARS.search(value):
        raise ValueError("must not contain control characters")
    return value.strip()


def _line(value: str) -> str:
    if _BAD_IN_LINE.search(value):
        raise ValueError("must be a single line without control characters")
    return value.strip()


def _email(value: str) -> str:
    value = _line(value)
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError("is not a valid e-mail address") from None
    return value


def _iso_date(value: Any) -> Any:
    # Pydantic would also take a number of seconds since 1970; a date here is an ISO string.
    if isinstance(value, str) and value != DECLINED:
        return value
    if value is None or value == DECLINED:
        return value
    raise ValueError("must be a date as YYYY-MM-DD")


def _past_date(value: date) -> date:
    if value > timezone.localdate():
        raise ValueError("must not be in the future")
    if value.year < 1900:
        raise ValueError("must be in 1900 or later")
    return value


def _non_empty(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


def _birth_year(value: int) -> int:
    if value > timezone.localdate().year:
        raise ValueError("must not be in the future")
    return value


def _country(value: str) -> str:
    if value not in {code for code, _name in country_choices()}:
        raise ValueError("is not an ISO 3166-1 alpha-2 country code")
    return value


def _languages(value: list[str]) -> list[str]:
    if len(set(value)) != len(value):
        raise ValueError("must not list a language twice")
    return value


# Each type's JSON Schema says what it accepts (patterns, lengths, enums): see api/schemas.py.
Declined = Literal["declined"]
# The constrained types are built by the factories in api/schemas.py, which a type checker cannot
# read as types: to it they are the plain value a validated field holds (str, int).
if TYPE_CHECKING:
    Line: TypeAlias = str
    ShortLine: TypeAlias = str
    Text: TypeAlias = str
    Name: TypeAlias = str
    CountryCode: TypeAlias = str
    BirthYear: TypeAlias = int
    PageNumber: TypeAlias = int
    PageSize: TypeAlias = int
    # A change leaves the name out (None, not validated) or sends a name; null is refused.
    NameChange: TypeAlias = str | None
else:
    Line = Annotated[line(200), AfterValidator(_line)]
    ShortLine = Annotated[line(40), AfterValidator(_line)]
    Text = Annotated[text(2000), AfterValidator(_text)]
    BirthYear = Annotated[
        integer(ge=1900, le=timezone.localdate().year),
        AfterValidator(_birth_year),
    ]
    CountryCode = Annotated[
        choice(code for code, _name in country_choices()), AfterValidator(_country)
    ]
    Name = Annotated[line(200, filled=True), AfterValidator(_line), AfterValidator(_non_empty)]
    PageNumber = integer(ge=1, le=100_000)
    PageSize = integer(ge=1, le=100)
    NameChange = Name
Email = Annotated[
    str,
    StringConstraints(strict=True, max_length=254, pattern=rf"^$|{EMAIL_PATTERN}"),
    AfterValidator(_email),
]
DATE_PATTERN = date_pattern(1900, timezone.localdate().year)
# JSON Schema cannot say "not after today", so the format names the rule (OpenAPI formats are
# open-ended) and the description spells it out.
PastDate = Annotated[
    date,
    AfterValidator(_past_date),
    WithJsonSchema(
        {
            "type": "string",
            "format": "past-date",
            "pattern": date_range_pattern(date(1900, 1, 1), timezone.localdate()),
            "description": "A date as YYYY-MM-DD, from 1900-01-01 to today.",
        }
    ),
]
LanguageCode = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z]{3}$")]
Languages = Annotated[
    list[LanguageCode],
    Field(max_length=10, json_schema_extra={"uniqueItems": True}),
    AfterValidator(_languages),
]
Aliases = Annotated[
    list[Line], Field(max_length=20), AfterValidator(lambda names: [n for n in names if n])
]
OptionalDate = Annotated[Declined | PastDate | None, BeforeValidator(_iso_date)]


class PersonFields(Input):
    """Every optional field of a record; each also takes ``"declined"`` (prefer not to say)."""

    model_config = ConfigDict(
        json_schema_extra={
            # A date of birth and a year of birth, both given: refused (the year is the date's).
            "not": {
                "required": ["date_of_birth", "birth_year"],
                "properties": {
                    "date_of_birth": {"type": "string", "pattern": DATE_PATTERN},
                    "birth_year": {"type": "integer"},
                },
            }
        }
    )

    # identity (sealed)
    legal_name: Declined | Line | None = None
    aliases: Declined | Aliases | None = None
    date_of_birth: OptionalDate = None
    identity_numbers: Declined | Line | None = None
    # contact (sealed, except the method)
    phone: Declined | ShortLine | None = None
    email: Declined | Email | None = None
    address: Declined | Text | None = None
    postal_code: Declined | ShortLine | None = None
    safe_contact_method: ContactMethod | None = None
    safe_contact_times: Declined | Text | None = None
    # demographics
    birth_year: Declined | BirthYear | None = None
    gender_identity: GenderIdentity | None = None
    pronouns: Declined | ShortLine | None = None
    preferred_languages: Declined | Languages | None = Field(
        None, description='ISO 639-3 codes, most preferred first, e.g. ["spa", "eng"]'
    )
    interpreter_needed: YesNo | None = None
    communication_needs: Declined | Text | None = None
    country_of_origin: Declined | CountryCode | None = Field(
        None, description='ISO 3166-1 alpha-2, e.g. "GT"'
    )
    cultural_considerations: Declined | Text | None = None
    staff_gender_preference: StaffGenderPreference | None = None
    faith_preference: FaithPreference | None = None
    # trafficking and safety
    trafficking_form: TraffickingForm | None = None
    exploitation_ended_on: OptionalDate = None
    safety_level: SafetyLevel | None = None
    referral_source: ReferralSource | None = None

    @model_validator(mode="after")
    def _date_or_year(self):
        # The year comes from the date: a request gives one of them (or declines one).
        if isinstance(self.date_of_birth, date) and isinstance(self.birth_year, int):
            raise ValueError("send date_of_birth or birth_year, not both")
        return self


class PersonCreateIn(PersonFields):
    """A new record: only the chosen name (or an alias) is required."""

    chosen_name: Name = Field(..., description="The name the person wants to be called.")
    confirm_not_duplicate: StrictBool = Field(
        False,
        description="Set after checking the possible duplicates a first attempt returned (409).",
    )


class PersonUpdateIn(PersonFields):
    """A change: only the fields sent are touched; ``null`` clears a field."""

    chosen_name: NameChange = Field(None, description="Can change, but not be removed (no null).")


class PersonListParams(Schema):
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(25, ge=1, le=100)


class PersonSearchIn(Input):
    """A name search travels in the body: names must never be part of an address (logs)."""

    search: Line = Field(
        ..., description="Name tokens (all must match) or a record code such as WF-7K3Q-9D."
    )
    page: PageNumber = 1
    per_page: PageSize = 25


# --- output types ------------------------------------------------------------------------------

Shown = str | None  # the stored value, "declined", or null when nothing is recorded


class AccessOut(Schema):
    basis: Literal["owner", "consent"]
    categories: list[str]


class PersonOut(Schema):
    """A record as this caller may see it: a field the caller may not see is absent."""

    id: uuid.UUID
    pseudonym: str
    owner_agency_id: uuid.UUID
    created_at: datetime
    updated_at: datetime
    access: AccessOut
    chosen_name: Shown = None
    legal_name: Shown = None
    aliases: Declined | list[str] | None = None
    date_of_birth: Declined | date | None = None
    identity_numbers: Shown = None
    phone: Shown = None
    email: Shown = None
    address: Shown = None
    postal_code: Shown = None
    safe_contact_method: Shown = None
    safe_contact_times: Shown = None
    birth_year: Declined | int | None = None
    gender_identity: Shown = None
    pronouns: Shown = None
    preferred_languages: Declined | list[str] | None = None
    interpreter_needed: Shown = None
    communication_needs: Shown = None
    country_of_origin: Shown = None
    cultural_considerations: Shown = None
    staff_gender_preference: Shown = None
    faith_preference: Shown = None
    trafficking_form: Shown = None
    exploitation_ended_on: Declined | date | None = None
    safety_level: Shown = None
    referral_source: Shown = None


class PersonCreatedOut(PersonOut):
    possible_duplicates: list[str] | None = Field(
        None, description="Pseudonyms of records that looked alike (sent only when confirmed)."
    )


class PersonSummaryOut(Schema):
    id: uuid.UUID
    pseudonym: str
    owner_agency_id: uuid.UUID
    created_at: datetime
    chosen_name: Shown = None
    birth_year: Declined | int | None = None
    gender_identity: Shown = None
    preferred_languages: Declined | list[str] | None = None
    interpreter_needed: Shown = None
    safety_level: Shown = None


class PersonPageOut(Schema):
    items: list[PersonSummaryOut]
    page: int
    per_page: int
    total: int


class DuplicateOut(Schema):
    id: uuid.UUID
    pseudonym: str


class DuplicateErrorOut(ErrorOut):
    duplicates: list[DuplicateOut]


SUMMARY_FIELDS = tuple(f for f in PersonSummaryOut.model_fields if f in FIELD_CATEGORIES)


def _plain_field(name: str) -> models.Field:
    field = Person._meta.get_field(name)
    if not isinstance(field, models.Field):  # a reverse relation is never a plain field
        raise TypeError(f"Person.{name} is not a concrete field")
    return field


_CHOICE_FIELDS = frozenset(f for f in PLAIN_FIELDS if _plain_field(f).choices)
_PLAIN_EMPTY = {
    f: (_plain_field(f).get_default() if not _plain_field(f).null else None) for f in PLAIN_FIELDS
}

# --- input → action arguments -----------------------------------------------------------------


def _plain_value(name: str, value: Any) -> Any:
    """What the column holds: a declined choice is stored as "declined", other fields as empty."""
    if value is None or (value == DECLINED and name not in _CHOICE_FIELDS):
        return _PLAIN_EMPTY[name]
    return getattr(value, "value", value)  # an enum member → its value


def _identity_value(name: str, value: Any) -> Any:
    if name == "chosen_name":  # required, and never "declined": it is how the person is addressed
        return value
    if value is None or value == DECLINED:
        return [] if name == "aliases" else (None if name == "date_of_birth" else "")
    return value


def _apply(payload: PersonFields, identity: Identity, person_declined: list[str]):
    """Apply the sent fields: returns (identity, plain column values, declined plain fields).

    Fields not sent keep their value (and their "declined" mark); a field sent is set, declined
    (``"declined"``) or cleared (``null``).
    """
    sent = {f: getattr(payload, f) for f in payload.model_fields_set if f in FIELD_CATEGORIES}
    sealed = {f: v for f, v in sent.items() if f in Identity.FIELDS}
    plain = {f: v for f, v in sent.items() if f in PLAIN_FIELDS}

    identity_declined = set(identity.declined) - set(sealed)
    identity_declined |= {f for f, v in sealed.items() if v == DECLINED and f != "chosen_name"}
    identity = replace(
        identity,
        **{f: _identity_value(f, v) for f, v in sealed.items()},
        declined=sorted(identity_declined),
    )
    declined = set(person_declined) - set(plain)
    declined |= {f for f, v in plain.items() if v == DECLINED and f not in _CHOICE_FIELDS}
    columns = {f: _plain_value(f, v) for f, v in plain.items()}
    # As on the intake form: a date of birth gives the (plain, reportable) year of birth, unless
    # the year was sent too or the person declined to give it.
    dob = sent.get("date_of_birth")
    if isinstance(dob, date) and "birth_year" not in plain and "birth_year" not in declined:
        columns["birth_year"] = dob.year
    return identity, columns, sorted(declined)


# --- record → output --------------------------------------------------------------------------


def _shown(name: str, value: Any, declined: set[str]) -> Any:
    if name in declined:
        return DECLINED
    if value in ("", None):
        return None
    return value


def _visible_data(person: Person, identity: Identity | None, categories) -> dict:
    """{field: value} of the fields in ``categories``, as ``reveal_person`` gives them."""
    shown = {f for f, c in FIELD_CATEGORIES.items() if c in categories}
    data = {f: getattr(person, f) for f in PLAIN_FIELDS if f in shown}
    declined = {f for f in person.declined if f in shown}
    if identity is not None:
        data.update({f: getattr(identity, f) for f in Identity.FIELDS if f in shown})
        declined |= {f for f in identity.declined if f in shown}
    data["declined"] = sorted(declined)
    return data


def _person_out(person: Person, data: dict, *, basis: str, categories) -> dict:
    """The response body: ``data`` holds exactly the fields the caller may see."""
    declined = set(data.get("declined", ()))
    out = {
        "id": person.pk,
        "pseudonym": person.pseudonym,
        "owner_agency_id": person.owner_agency_id,
        "created_at": person.created_at,
        "updated_at": person.updated_at,
        "access": {"basis": basis, "categories": sorted(categories)},
    }
    out.update({f: _shown(f, v, declined) for f, v in data.items() if f in FIELD_CATEGORIES})
    return out


def _location(response: HttpResponse, person: Person) -> None:
    response["Location"] = reverse("api:read_person", kwargs={"person_id": person.pk})


# --- endpoints ---------------------------------------------------------------------------------


@router.get(
    "/",
    response=responses(PersonPageOut),
    exclude_unset=True,
    operation_id="list_persons",
    summary="List persons",
)
def list_persons(request, params: Query[PersonListParams]):
    """Persons the caller may open, newest first, with the fields the caller may see.

    To search by name or record code, POST the words to ``/api/v1/persons/search``: a ``search``
    parameter here is refused with 400 ``names_not_in_urls``.
    """
    if "search" in request.GET:
        raise CodedError(
            Code.NAMES_NOT_IN_URLS,
            _(
                "Names must not be sent in a web address, which servers and proxies write to "
                "their logs. Send the search in the JSON body of POST /api/v1/persons/search."
            ),
            status=400,
        )
    return _person_page(request.actor, "", params.page, params.per_page)


@router.post(
    "/search",
    response=responses(PersonPageOut),
    exclude_unset=True,
    operation_id="search_persons",
    summary="Search persons by name or record code",
)
def search(request, payload: PersonSearchIn):
    """Persons the caller may open whose names match every token, or with this record code.

    A POST so that the words searched for stay out of addresses and access logs. Names are
    matched through blind indexes; a partner finds a record by name only if it may see the name.
    When more than 1,000 persons of the caller's agency match, the answer is 422
    ``search_too_broad`` (with ``cap``) and no one is listed: send more of the name.
    """
    return _person_page(request.actor, payload.search, payload.page, payload.per_page)


def _person_page(actor, search: str, page: int, per_page: int) -> dict:
    """The same read as the person list page (``people.queries.person_page``: one gate scope, one
    consent query for the partner rows, names decrypted only where identity is consented, one
    audit event), shown with the summary fields."""
    if not actor.is_casework:
        raise Http404  # analysts and trainers work with de-identified reports only
    # A name search finds partner records only where the caller may see the name (search_persons).
    page_obj, rows = person_page(
        actor,
        q=search,
        page=page,
        per_page=per_page,
        fields=SUMMARY_FIELDS,
        view="api",
        strict=True,
    )
    items = []
    for row in rows:
        p = row.person
        data = _visible_data(p, row.identity, row.categories)
        declined = set(data["declined"])
        item = {
            "id": p.pk,
            "pseudonym": p.pseudonym,
            "owner_agency_id": p.owner_agency_id,
            "created_at": p.created_at,
        }
        item.update({f: _shown(f, data[f], declined) for f in SUMMARY_FIELDS if f in data})
        items.append(item)
    total = page_obj.paginator.count
    return {"items": items, "page": page, "per_page": per_page, "total": total}


@router.post(
    "/",
    response=responses(PersonCreatedOut, 409, ok_status=201, e409=DuplicateErrorOut),
    exclude_unset=True,
    operation_id="create_person",
    summary="Take in a person",
)
def create(request, payload: PersonCreateIn, response: HttpResponse):
    """Take in a person at the token's agency; the caller becomes lead of the care team.

    If records at the agency look like the same person, nothing is created and the answer is
    409 ``possible_duplicate`` with their pseudonyms; send again with
    ``confirm_not_duplicate: true`` once you have checked.
    """
    actor = request.actor
    if not actor.can_intake:
        raise Http404
    identity, plain, declined = _apply(payload, Identity(chosen_name=payload.chosen_name), [])
    duplicates = likely_duplicates(actor, identity)
    if duplicates and not payload.confirm_not_duplicate:
        raise CodedError(
            Code.POSSIBLE_DUPLICATE,
            _(
                "This person may already have a record here. Check the records listed, then "
                "send again with confirm_not_duplicate set to true if this is someone else."
            ),
            status=409,
            duplicates=[{"id": str(p.pk), "pseudonym": p.pseudonym} for p in duplicates],
        )
    person = create_person(actor=actor, identity=identity, declined=declined, **plain)
    out = _person_out(
        person,
        _visible_data(person, identity, ALL_CATEGORIES),
        basis="owner",
        categories=ALL_CATEGORIES,
    )
    if duplicates:
        out["possible_duplicates"] = [p.pseudonym for p in duplicates]
    _location(response, person)
    return Status(201, out)


@router.get(
    "/{uuid:person_id}",
    response=responses(PersonOut, 410),
    exclude_unset=True,
    url_name="read_person",
    operation_id="read_person",
    summary="Read a person",
)
def read(request, person_id: uuid.UUID):
    """One record: a partner agency sees only the categories the person consented to (audited)."""
    access = get_access(request.actor, person_id)
    data = reveal_person(request.actor, access)
    return _person_out(access.person, data, basis=access.basis, categories=access.categories)


@router.patch(
    "/{uuid:person_id}",
    response=responses(PersonOut, 403, 410),
    exclude_unset=True,
    operation_id="update_person",
    summary="Change a person",
)
def update(request, person_id: uuid.UUID, payload: PersonUpdateIn):
    """Change the fields sent; only the owning agency's casework staff may (audited)."""
    actor = request.actor
    access = get_access(actor, person_id)
    if not access.is_owner:
        raise read_only()
    person = access.person
    if payload.model_fields_set & set(FIELD_CATEGORIES):
        current = identity_of(person) or Identity(chosen_name="")
        identity, plain, declined = _apply(payload, current, person.declined)
        if declined != sorted(person.declined):
            plain["declined"] = declined
        touches_identity = bool(payload.model_fields_set & set(Identity.FIELDS))
        person = update_person(
            person, actor=actor, identity=identity if touches_identity else None, **plain
        )
        access = replace(access, person=person)
    data = reveal_person(actor, access)
    return _person_out(person, data, basis=access.basis, categories=access.categories)
