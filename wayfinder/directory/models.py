"""The service directory: Open Referral HSDS 3.0 objects, with HSDS object and field names.

- Every HSDS object keeps its HSDS ``id`` (any string, usually a UUID) as primary key, so imports
  match on ids and exports give the same ids back.
- Links between HSDS objects are ``ForeignKey(db_constraint=False)``: an HSDS file may refer to an
  object it does not carry (a parent organization, a taxonomy term's parent) and the reference is
  kept as it is. ``obj.<name>_id`` is always the raw HSDS id; ``obj.<name>`` raises
  ``DoesNotExist`` for such a dangling id (use ``select_related`` or check first).
- A child that HSDS nests in several parents (one phone under a service, its location and a
  contact) is one row with one link column per parent, as in the HSDS tables.
- ``attribute`` and ``metadata`` link to any object through ``link_id`` / ``resource_id``.
- Wayfinder's own facts (service categories, trauma-informed, ...) are ``Attribute`` rows on the
  published Wayfinder taxonomy (see ``taxonomy.py``).

Private, never in the public HSDS API or in exports: ``ServiceCapacity`` (HSDS 3.1
``service_capacity`` shape plus waitlist and whether referrals are accepted), ``ServiceNote`` and
``ServiceCategoryIndex`` (the derived rows the matching query reads).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wayfinder.accounts.models import Agency
from wayfinder.core.models import BaseModel
from wayfinder.core.service_categories import ServiceCategory

ID_LENGTH = 250


def _id():
    return models.CharField(primary_key=True, max_length=ID_LENGTH)


def _text(verbose=None):
    return models.TextField(verbose, blank=True, default="")


def _number(verbose=None):
    return models.FloatField(verbose, null=True, blank=True)


def _link(to, related_name, *, on_delete=models.CASCADE, verbose=None):
    """A link to another HSDS object by its id. Not enforced by the database (see module doc)."""
    return models.ForeignKey(
        to,
        verbose_name=verbose,
        null=True,
        blank=True,
        on_delete=on_delete,
        db_constraint=False,
        related_name=related_name,
    )


class HsdsModel(models.Model):
    """Common to every HSDS object: the HSDS id and Wayfinder's own bookkeeping times."""

    id = _id()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # HSDS object name ("service", "taxonomy_term"); set on each subclass.
    hsds_name = ""

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self):
        return getattr(self, "name", "") or self.id


# --- taxonomy ----------------------------------------------------------------------------------


class Taxonomy(HsdsModel):
    hsds_name = "taxonomy"
    name = models.TextField(_("name"))
    description = models.TextField(_("description"))
    uri = _text()
    version = _text()

    class Meta(HsdsModel.Meta):
        verbose_name_plural = "taxonomies"


class TaxonomyTerm(HsdsModel):
    hsds_name = "taxonomy_term"
    code = _text(_("code"))
    name = models.TextField(_("name"))
    description = models.TextField(_("description"))
    parent = _link("self", "children", on_delete=models.DO_NOTHING)
    # HSDS ``taxonomy`` (the taxonomy's name as free text); ``taxonomy`` below is ``taxonomy_id``.
    taxonomy_label = _text()
    taxonomy = _link(Taxonomy, "terms", on_delete=models.DO_NOTHING)
    language = _text()
    term_uri = _text()

    class Meta(HsdsModel.Meta):
        indexes = [models.Index(fields=["taxonomy", "code"])]


# --- organization ------------------------------------------------------------------------------


class Organization(HsdsModel):
    hsds_name = "organization"
    name = models.TextField(_("name"))
    alternate_name = _text(_("alternate name"))
    description = models.TextField(_("description"))
    email = _text(_("email"))
    website = _text(_("website"))
    tax_status = _text()  # deprecated in HSDS 3.0, kept for round trips
    tax_id = _text()  # deprecated in HSDS 3.0, kept for round trips
    year_incorporated = _number()
    legal_status = _text()
    logo = _text()
    uri = _text()
    parent_organization = _link("self", "child_organizations", on_delete=models.DO_NOTHING)

    class Meta(HsdsModel.Meta):
        indexes = [models.Index(fields=["name"])]

    @property
    def agency(self):
        """The network ``Agency`` that lists itself as this organization, if any.

        The link lives on ``Agency.directory_organization_id`` (one source of truth, owned by the
        agency; imports never touch it). Organizations not on Wayfinder have none.
        """
        return Agency.objects.filter(directory_organization_id=self.id).first()


class Program(HsdsModel):
    hsds_name = "program"
    organization = _link(Organization, "programs")
    name = models.TextField(_("name"))
    alternate_name = _text()
    description = models.TextField(_("description"))


class OrganizationIdentifier(HsdsModel):
    hsds_name = "organization_identifier"
    organization = _link(Organization, "organization_identifiers")
    identifier_scheme = _text()
    identifier_type = models.TextField()
    identifier = models.TextField()


# --- service -----------------------------------------------------------------------------------


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Defunct")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class Service(HsdsModel):
    hsds_name = "service"
    organization = _link(Organization, "services")
    program = _link(Program, "services", on_delete=models.DO_NOTHING)
    name = models.TextField(_("name"))
    alternate_name = _text(_("alternate name"))
    description = _text(_("description"))
    url = _text(_("website"))
    email = _text(_("email"))
    status = models.CharField(
        _("status"), max_length=32, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    interpretation_services = _text(_("interpretation services"))
    application_process = _text(_("how to apply"))
    fees_description = _text(_("fees"))
    wait_time = _text()  # deprecated in HSDS 3.0
    fees = _text()  # deprecated in HSDS 3.0
    accreditations = _text(_("accreditations"))
    eligibility_description = _text(_("eligibility"))
    minimum_age = _number(_("minimum age"))
    maximum_age = _number(_("maximum age"))
    assured_date = _text()
    assurer_email = _text()
    licenses = _text()  # deprecated in HSDS 3.0
    alert = _text(_("alert"))
    last_modified = models.DateTimeField(null=True, blank=True)

    class Meta(HsdsModel.Meta):
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["last_modified"]),
            # The directory's pages by name: a page is read along it, not sorted from every row.
            models.Index(fields=["name", "id"], name="directory_service_by_name"),
        ]


class Location(HsdsModel):
    hsds_name = "location"

    class Type(models.TextChoices):
        PHYSICAL = "physical", _("Physical")
        POSTAL = "postal", _("Postal")
        VIRTUAL = "virtual", _("Virtual")

    location_type = models.CharField(max_length=16, choices=Type.choices, default=Type.PHYSICAL)
    url = _text()
    organization = _link(Organization, "locations")
    name = _text(_("name"))
    alternate_name = _text()
    description = _text()
    transportation = _text()
    latitude = _number(_("latitude"))
    longitude = _number(_("longitude"))
    external_identifier = _text()
    external_identifier_type = _text()

    class Meta(HsdsModel.Meta):
        indexes = [models.Index(fields=["latitude", "longitude"])]


class ServiceAtLocation(HsdsModel):
    hsds_name = "service_at_location"
    service = _link(Service, "service_at_locations")
    location = _link(Location, "service_at_locations")
    description = _text()


class Address(HsdsModel):
    hsds_name = "address"
    location = _link(Location, "addresses")
    attention = _text()
    address_1 = models.TextField()
    address_2 = _text()
    city = models.TextField()
    region = _text()
    state_province = models.TextField()
    postal_code = models.TextField()
    country = models.CharField(max_length=8)
    address_type = models.CharField(max_length=16, choices=Location.Type.choices)


class Contact(HsdsModel):
    hsds_name = "contact"
    organization = _link(Organization, "contacts")
    service = _link(Service, "contacts")
    service_at_location = _link(ServiceAtLocation, "contacts")
    location = _link(Location, "contacts")
    name = _text()
    title = _text()
    department = _text()
    email = _text()


class Phone(HsdsModel):
    hsds_name = "phone"
    location = _link(Location, "phones")
    service = _link(Service, "phones")
    organization = _link(Organization, "phones")
    contact = _link(Contact, "phones")
    service_at_location = _link(ServiceAtLocation, "phones")
    number = models.TextField()
    extension = _number()
    type = _text()
    description = _text()


class Schedule(HsdsModel):
    hsds_name = "schedule"
    service = _link(Service, "schedules")
    location = _link(Location, "schedules")
    service_at_location = _link(ServiceAtLocation, "schedules")
    valid_from = _text()
    valid_to = _text()
    dtstart = _text()
    timezone = _number()
    until = _text()
    count = _number()
    wkst = _text()
    freq = _text()
    interval = _number()
    byday = _text()
    byweekno = _text()
    bymonthday = _text()
    byyearday = _text()
    description = _text()
    opens_at = _text()
    closes_at = _text()
    schedule_link = _text()
    attending_type = _text()
    notes = _text()


class Language(HsdsModel):
    """A language a service (its staff), a location or a phone line works in. ``code``: ISO 639."""

    hsds_name = "language"
    service = _link(Service, "languages")
    location = _link(Location, "languages")
    phone = _link(Phone, "languages")
    name = _text()
    code = models.CharField(max_length=16, blank=True, default="")
    note = _text()

    class Meta(HsdsModel.Meta):
        indexes = [models.Index(fields=["code"])]


class ServiceArea(HsdsModel):
    hsds_name = "service_area"
    service = _link(Service, "service_areas")
    name = _text()
    description = _text()
    extent = _text()
    extent_type = _text()
    uri = _text()


class CostOption(HsdsModel):
    hsds_name = "cost_option"
    service = _link(Service, "cost_options")
    valid_from = _text()
    valid_to = _text()
    option = _text()
    currency = _text()
    amount = _number()
    amount_description = _text()


class RequiredDocument(HsdsModel):
    hsds_name = "required_document"
    service = _link(Service, "required_documents")
    document = _text()
    uri = _text()


class Accessibility(HsdsModel):
    hsds_name = "accessibility"
    location = _link(Location, "accessibility")
    description = _text()
    details = _text()
    url = _text()

    class Meta(HsdsModel.Meta):
        verbose_name_plural = "accessibility"


class Funding(HsdsModel):
    hsds_name = "funding"
    organization = _link(Organization, "funding")
    service = _link(Service, "funding")
    source = _text()

    class Meta(HsdsModel.Meta):
        verbose_name_plural = "funding"


class Attribute(HsdsModel):
    """A taxonomy term attached to any HSDS object (``link_id``), with an optional ``value``."""

    hsds_name = "attribute"
    link_id = models.CharField(max_length=ID_LENGTH, blank=True, default="")
    link_type = _text()
    link_entity = models.CharField(max_length=64, blank=True, default="")
    taxonomy_term = _link(TaxonomyTerm, "attributes", on_delete=models.DO_NOTHING)
    value = _text()

    class Meta(HsdsModel.Meta):
        indexes = [
            models.Index(fields=["link_id"]),
            models.Index(fields=["taxonomy_term", "link_entity"]),
        ]


class Metadata(HsdsModel):
    hsds_name = "metadata"
    resource_id = models.CharField(max_length=ID_LENGTH, blank=True, default="")
    resource_type = models.CharField(max_length=64, blank=True, default="")
    last_action_date = models.TextField()
    last_action_type = models.TextField()
    field_name = models.TextField()
    previous_value = models.TextField()
    replacement_value = models.TextField()
    updated_by = models.TextField()

    class Meta(HsdsModel.Meta):
        verbose_name_plural = "metadata"
        indexes = [models.Index(fields=["resource_id"])]


class MetaTableDescription(HsdsModel):
    hsds_name = "meta_table_description"
    name = _text()
    language = _text()
    character_set = _text()


# --- private to Wayfinder (never in the public API or exports) -------------------------------


class Unit(HsdsModel):
    """HSDS 3.1 ``unit`` (what a capacity counts: "bed", "appointment")."""

    hsds_name = "unit"
    name = models.TextField(_("name"))
    scheme = _text()
    identifier = _text()
    uri = _text()


class ServiceCapacity(HsdsModel):
    """How much room a service has: the HSDS 3.1 ``service_capacity`` shape plus Wayfinder's own
    ``waitlist_days`` and ``accepting_referrals``. One per service. Private: shared with signed-in
    network staff only. ``updated`` is shown to users next to the figures.
    """

    hsds_name = "service_capacity"
    service = models.OneToOneField(
        Service, on_delete=models.CASCADE, related_name="capacity", db_constraint=False
    )
    unit = _link(Unit, "capacities", on_delete=models.SET_NULL)
    available = _number(_("available"))
    maximum = _number(_("maximum"))
    description = _text(_("description"))
    updated = models.DateTimeField(_("updated"))
    waitlist_days = models.PositiveIntegerField(_("waitlist (days)"), null=True, blank=True)
    accepting_referrals = models.BooleanField(_("accepting referrals"), default=True)

    class Meta(HsdsModel.Meta):
        verbose_name_plural = "service capacities"


class ServiceNote(BaseModel):
    """An internal note about a service ("call the intake line before 10am"). Private to network
    staff; never about a person.
    """

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="internal_notes", db_constraint=False
    )
    body = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(BaseModel.Meta):
        ordering = ["-created_at"]


class ServiceCategoryIndex(models.Model):
    """Derived rows for the matching query: one per (service, Wayfinder category, location).

    Rebuilt by ``index.reindex_services(ids)`` whenever a service, its attributes, languages,
    locations or capacity change through the directory's actions or import. A service without a
    located site has one row per category with ``latitude``/``longitude`` null.
    ``accepting_referrals`` is True unless the service's capacity says otherwise.

    The row also carries every other fact matching reads, so that finding candidates is one read
    of one table on one index (joins and subqueries made it ten times slower, see
    docs/benchmarks.md): ``features`` (a bit mask of the service's Wayfinder attributes, bits in
    ``matching.ranking``), ``languages`` (the ISO 639 codes of the languages staff speak,
    space-separated with a space at each end; empty: the service lists none), the service's ages
    and its capacity figures, and ``service_areas``: the service areas that can be checked
    (GeoJSON polygons) as JSON ``[{"name": ..., "polygons": [...]}]``, empty if none.
    """

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="category_index", db_constraint=False
    )
    category = models.CharField(max_length=32, choices=ServiceCategory.choices)
    status = models.CharField(max_length=32, choices=ServiceStatus.choices)
    accepting_referrals = models.BooleanField()
    location = models.ForeignKey(
        Location, null=True, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    features = models.BigIntegerField(default=0)
    languages = models.TextField(blank=True, default="")
    minimum_age = models.FloatField(null=True)
    maximum_age = models.FloatField(null=True)
    available = models.FloatField(null=True)
    waitlist_days = models.PositiveIntegerField(null=True)
    capacity_updated = models.DateTimeField(null=True)
    service_areas = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["category", "status", "accepting_referrals", "latitude"],
                name="dir_match_idx",
            ),
        ]
