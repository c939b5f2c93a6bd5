"""What a referral may carry to whom: the consents in force for an agency, and whether it is on Wayfinder.

Reads only (no writes): the actions check against these before sending, and the pages and the
API show them.
"""

from __future__ import annotations

from wayfinder.accounts.models import CASEWORK_ROLES, Agency, Membership
from wayfinder.assessments.models import NEED_DATA_CATEGORY
from wayfinder.consent.grants import disclosable
from wayfinder.consent.models import Purpose
from wayfinder.people.models import ContactMethod, Person

PURPOSE = Purpose.REFERRAL
NOTE_PURPOSE = "referral-note"  # the sealing purpose of notes on a referral and its events
REASON_PURPOSE = "referral-reason"  # the sealing purpose of the reason for referral
# The consent category each free text to the partner belongs to: without it the partner never
# sees the text, so the sender is told before sending.
NOTE_CATEGORY = "needs"
REASON_CATEGORY = "referral_reason"
# Contact methods a partner could use directly, if the person agreed to it for that agency.
DIRECT_METHODS = {ContactMethod.PHONE, ContactMethod.TEXT, ContactMethod.EMAIL}


def on_wayfinder(agency: Agency | None) -> bool:
    """An active agency with at least one active casework member: it has an inbox here."""
    if agency is None or not agency.is_active:
        return False
    return Membership.objects.filter(
        agency=agency, is_active=True, role__in=CASEWORK_ROLES, user__is_active=True
    ).exists()


def sensitive_category(service_category: str) -> str | None:
    """The consent category a referral for this kind of service reveals by itself (or None).

    A referral to substance use treatment *is* substance use information (42 CFR Part 2), one to
    immigration legal services is immigration information, and so on.
    """
    return NEED_DATA_CATEGORY.get(service_category)


def sharing(person: Person, agency: Agency | None) -> dict[str, list[str]]:
    """{category: [consent ids]} that ``agency`` may receive now for a referral ({} if none)."""
    if agency is None:
        return {}
    return disclosable(person, agency, PURPOSE)
