"""The published Wayfinder taxonomy: Wayfinder's own facts about a service, as HSDS attributes.

A ``taxonomy`` row plus ``taxonomy_term`` rows with stable UUIDs (uuid5 of their code), so every
deployment publishes the same ids. Two top-level terms group the rest:

- ``service_category``: one child term per ``ServiceCategory`` (code = the enum value). A service
  offers a category when it has an ``attribute`` with that term (``value`` empty).
- ``service_feature``: one child term per ``Feature``. Boolean features are present (``value``
  "true") or absent; ``staff_gender`` carries ``women``, ``men`` or ``mixed`` as ``value``.
  ``faith_based`` (the service is run by, or rooted in, a faith community) is a feature too, but it
  is edited with the listing rather than with the other features.
- ``eligibility``: one child term per gender a service restricts itself to (codes of
  ``people.GenderIdentity``), attached with ``link_type`` "eligibility", as HSDS 3.0 suggests now
  that it has no eligibility object. A service with none of them serves every gender.

The terms are created by the data migrations (``ensure_wayfinder_taxonomy``); a change to them
bumps ``TAXONOMY_VERSION`` and comes with a migration that calls it again.

Languages spoken by staff are HSDS ``language`` rows on the service, not attributes.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wayfinder.core.service_categories import ServiceCategory

NAMESPACE = uuid.UUID("6f1c3e0a-5b7d-4c1e-9a52-7e0f3b2d9c41")
TAXONOMY_ID = str(uuid.uuid5(NAMESPACE, "wayfinder-taxonomy"))
TAXONOMY_NAME = "Wayfinder"
TAXONOMY_VERSION = "2"
TAXONOMY_URI = "https://wayfinder.example.org/hsds/taxonomies/wayfinder"

CATEGORY_GROUP = "service_category"
FEATURE_GROUP = "service_feature"
ELIGIBILITY_GROUP = "eligibility"


class Feature(models.TextChoices):
    TRAUMA_INFORMED = "trauma_informed", _("Trauma-informed care")
    TRAFFICKING_SPECIFIC = "trafficking_specific", _("Experience with trafficking survivors")
    SURVIVOR_LED = "survivor_led", _("Survivor-led")
    LGBTQ_AFFIRMING = "lgbtq_affirming", _("LGBTQ+-affirming")
    STAFF_GENDER = "staff_gender", _("Gender of staff")
    SERVES_UNDOCUMENTED = "serves_undocumented", _("Serves undocumented people")
    FREE_OF_COST = "free_of_cost", _("Free of cost")
    INTERPRETER_AVAILABLE = "interpreter_available", _("Interpreter available")


class StaffGender(models.TextChoices):
    WOMEN = "women", _("Women")
    MEN = "men", _("Men")
    MIXED = "mixed", _("Mixed")


FEATURE_DESCRIPTIONS = {
    Feature.TRAUMA_INFORMED: "Staff are trained in and practise trauma-informed care.",
    Feature.TRAFFICKING_SPECIFIC: "The service has specific experience serving trafficking survivors.",
    Feature.SURVIVOR_LED: "The service is led or co-designed by people with lived experience.",
    Feature.LGBTQ_AFFIRMING: "The service affirms LGBTQ+ people.",
    Feature.STAFF_GENDER: "Gender of the staff who deliver the service: women, men or mixed (attribute value).",
    Feature.SERVES_UNDOCUMENTED: "Serves people regardless of immigration status.",
    Feature.FREE_OF_COST: "The service costs the person nothing.",
    Feature.INTERPRETER_AVAILABLE: "An interpreter can be provided for languages staff do not speak.",
}


def term_id(code: str) -> str:
    """The stable HSDS id of the Wayfinder term with this code."""
    return str(uuid.uuid5(NAMESPACE, f"term:{code}"))


def category_term_id(category: str) -> str:
    return term_id(f"{CATEGORY_GROUP}:{category}")


def feature_term_id(feature: str) -> str:
    return term_id(f"{FEATURE_GROUP}:{feature}")


CATEGORY_BY_TERM_ID = {category_term_id(c.value): c.value for c in ServiceCategory}
FEATURE_BY_TERM_ID = {feature_term_id(f.value): f.value for f in Feature}

FAITH_BASED = "faith_based"
FAITH_BASED_TERM_ID = feature_term_id(FAITH_BASED)

# Genders a service may restrict itself to, with the phrase shown for a restriction.
GENDERS = {
    "woman": _("Women"),
    "man": _("Men"),
    "non_binary": _("Non-binary people"),
    "transgender": _("Transgender people"),
}


def gender_term_id(gender: str) -> str:
    return term_id(f"{ELIGIBILITY_GROUP}:gender:{gender}")


GENDER_BY_TERM_ID = {gender_term_id(g): g for g in GENDERS}


def wayfinder_terms() -> list[dict]:
    """Every term of the Wayfinder taxonomy as HSDS field values (English names)."""
    terms = [
        {
            "id": term_id(CATEGORY_GROUP),
            "code": CATEGORY_GROUP,
            "name": "Service category",
            "description": "What a service offers (Wayfinder service categories, after OVC TIMS / OTIP).",
            "parent_id": None,
        },
        {
            "id": term_id(FEATURE_GROUP),
            "code": FEATURE_GROUP,
            "name": "Service feature",
            "description": "How a service works with survivors of trafficking.",
            "parent_id": None,
        },
    ]
    for c in ServiceCategory:
        terms.append(
            {
                "id": category_term_id(c.value),
                "code": c.value,
                "name": str(c.label),
                "description": f"The service offers: {c.label}.",
                "parent_id": term_id(CATEGORY_GROUP),
            }
        )
    for f in Feature:
        terms.append(
            {
                "id": feature_term_id(f.value),
                "code": f.value,
                "name": str(f.label),
                "description": FEATURE_DESCRIPTIONS[f],
                "parent_id": term_id(FEATURE_GROUP),
            }
        )
    terms.append(
        {
            "id": FAITH_BASED_TERM_ID,
            "code": FAITH_BASED,
            "name": "Faith-based",
            "description": "The service is run by, or rooted in, a faith community.",
            "parent_id": term_id(FEATURE_GROUP),
        }
    )
    terms.append(
        {
            "id": term_id(ELIGIBILITY_GROUP),
            "code": ELIGIBILITY_GROUP,
            "name": "Eligibility",
            "description": "Who a service is for (attached with link_type 'eligibility').",
            "parent_id": None,
        }
    )
    for gender in GENDERS:
        terms.append(
            {
                "id": gender_term_id(gender),
                "code": f"gender:{gender}",
                "name": f"Gender: {gender}",
                "description": f"The service serves only people of these genders; this one: {gender}.",
                "parent_id": term_id(ELIGIBILITY_GROUP),
            }
        )
    return terms


def ensure_wayfinder_taxonomy(Taxonomy=None, TaxonomyTerm=None) -> None:
    """Create or refresh the Wayfinder taxonomy and its terms. Idempotent.

    The model classes may be passed in (a data migration passes its historical models).
    """
    if Taxonomy is None or TaxonomyTerm is None:
        # Data migrations import this module and pass historical models: the real ones only here.
        from wayfinder.directory.models import Taxonomy, TaxonomyTerm

    with translation.override("en"):
        Taxonomy.objects.update_or_create(
            id=TAXONOMY_ID,
            defaults={
                "name": TAXONOMY_NAME,
                "description": "Wayfinder's facts about services for survivors of human "
                "trafficking: service categories and service features.",
                "uri": TAXONOMY_URI,
                "version": TAXONOMY_VERSION,
            },
        )
        for t in wayfinder_terms():
            TaxonomyTerm.objects.update_or_create(
                id=t["id"],
                defaults={
                    "code": t["code"],
                    "name": t["name"],
                    "description": t["description"],
                    "parent_id": t["parent_id"],
                    "taxonomy_id": TAXONOMY_ID,
                    "taxonomy_label": TAXONOMY_NAME,
                    "language": "eng",
                },
            )
