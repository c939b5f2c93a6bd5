"""42 CFR Part 2 (substance use disorder records): the §2.31 consent elements, the §2.32 notice.

A consent covers substance use information only when it names the category *and* carries every
§2.31 element; a broad or incomplete consent never does (``Consent.granted_categories``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wayfinder.core.categories import Category

# §2.32(a)(2), as amended in 2024: the short statement that must accompany each disclosure made
# with the patient's consent. Kept word for word in English, with a plain-language explanation.
REDISCLOSURE_STATEMENT = "42 CFR part 2 prohibits unauthorized use or disclosure of these records."
REDISCLOSURE_EXPLAINED = _(
    "This information comes from substance use treatment records protected by federal law "
    "(42 CFR part 2). You may not use it or share it further unless the person consents in "
    "writing or the law allows it. It may not be used to investigate or prosecute the person."
)

# §2.31(a): what the written consent must contain (the form shows each one).
ELEMENTS_2_31 = (
    _("the name of the person the records are about"),
    _("who may share the records"),
    _("a specific description of the information to be shared"),
    _("who will receive it"),
    _("why it is shared"),
    _("the right to withdraw consent in writing"),
    _("the date or event when consent ends"),
    _("the signature of the person (or their legal representative) and the date"),
)


def needs_notice(categories) -> bool:
    """True when what is disclosed includes substance use information."""
    return Category.SUBSTANCE_USE in set(categories)


def notice() -> dict:
    """The §2.32 notice, for a page, an API payload or an export."""
    return {
        "code": "42cfr2_redisclosure",
        "statement": REDISCLOSURE_STATEMENT,
        "explanation": str(REDISCLOSURE_EXPLAINED),
    }
