"""Who a service is for by gender, and whether it is faith-based: two more Wayfinder facts that
matching reads, published as terms of the Wayfinder taxonomy (see ``taxonomy.py``).

- ``eligibility`` group: one child term per gender a service restricts itself to (codes of
  ``people.GenderIdentity``), attached with ``link_type`` "eligibility", as HSDS 3.0 suggests now
  that it has no eligibility object. A service with none of them serves every gender.
- ``faith_based`` under the ``service_feature`` group: the service is run by, or rooted in, a
  faith community (value "true").
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wayfinder.directory.taxonomy import (
    FEATURE_GROUP,
    TAXONOMY_ID,
    TAXONOMY_NAME,
    feature_term_id,
    term_id,
)

ELIGIBILITY_GROUP = "eligibility"

# Genders a service may restrict itself to, with the phrase shown for a restriction.
GENDERS = {
    "woman": _("Women"),
    "man": _("Men"),
    "non_binary": _("Non-binary people"),
    "transgender": _("Transgender people"),
}
# A person of one of these genders (as recorded) is surely outside a restriction that leaves it out;
# for any other recorded identity the restriction is shown as "check eligibility" instead.
DEFINITE_GENDERS = frozenset({"woman", "man", "non_binary"})


def gender_term_id(gender: str) -> str:
    return term_id(f"{ELIGIBILITY_GROUP}:gender:{gender}")


FAITH_BASED = "faith_based"
FAITH_BASED_TERM_ID = feature_term_id(FAITH_BASED)
GENDER_BY_TERM_ID = {gender_term_id(g): g for g in GENDERS}


def terms() -> list[dict]:
    """The extra terms as HSDS field values (English names)."""
    group = term_id(ELIGIBILITY_GROUP)
    rows = [
        {
            "id": group,
            "code": ELIGIBILITY_GROUP,
            "name": "Eligibility",
            "description": "Who a service is for (attached with link_type 'eligibility').",
            "parent_id": None,
        },
        {
            "id": FAITH_BASED_TERM_ID,
            "code": FAITH_BASED,
            "name": "Faith-based",
            "description": "The service is run by, or rooted in, a faith community.",
            "parent_id": term_id(FEATURE_GROUP),
        },
    ]
    for gender in GENDERS:
        rows.append(
            {
                "id": gender_term_id(gender),
                "code": f"gender:{gender}",
                "name": f"Gender: {gender}",
                "description": f"The service serves only people of these genders; this one: {gender}.",
                "parent_id": group,
            }
        )
    return rows


def ensure_terms() -> None:
    """Create or refresh the extra terms. Idempotent."""
    from wayfinder.directory.models import TaxonomyTerm
    from wayfinder.directory.taxonomy import ensure_wayfinder_taxonomy

    ensure_wayfinder_taxonomy()
    for t in terms():
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
