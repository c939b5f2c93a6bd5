"""Who may see and record a service delivered: the referral rules, per kind of service.

A service delivered reveals what a referral for the same kind of service reveals: the person's
needs, and for some kinds a specially protected category too (substance use, health,
immigration, legal). So the owning agency sees every one; a partner agency on the care team sees
those it delivered itself, and only while its consent covers those categories.
"""

from __future__ import annotations

from wayfinder.access.gate import Access
from wayfinder.assessments.models import NEED_DATA_CATEGORY
from wayfinder.core.categories import Category


def categories_for(service_category: str) -> frozenset[str]:
    """The consent categories a service of this kind discloses."""
    extra = NEED_DATA_CATEGORY.get(service_category)
    return frozenset({str(Category.NEEDS), *([extra] if extra else [])})


def may_see(access: Access, agency_id, service_category: str) -> bool:
    if access.is_owner:
        return True
    return all(access.can(c) for c in categories_for(service_category))


def hidden_kinds(access: Access) -> list[str] | None:
    """The kinds of service ``may_see`` hides from this reader, for a query: [] for the owner
    (nothing hidden), ``None`` when every kind is (no consent to needs)."""
    if access.is_owner:
        return []
    if not access.can(Category.NEEDS):
        return None
    return sorted(kind for kind, extra in NEED_DATA_CATEGORY.items() if not access.can(extra))


def may_record(access: Access, service_category: str) -> bool:
    """The owner's casework staff, or a partner whose consent covers this kind of service."""
    return may_see(access, None, service_category)
