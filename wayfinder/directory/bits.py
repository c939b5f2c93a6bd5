"""The match index's bit layout: which Wayfinder fact each bit of ``ServiceCategoryIndex.features``
stands for.

The directory writes these bits (``index.py``) and matching reads them (``matching/ranking.py``),
so the layout lives here, in the lower layer: matching imports directory, never the reverse.
"""

TRAUMA_INFORMED = 1 << 0
TRAFFICKING_SPECIFIC = 1 << 1
INTERPRETER_AVAILABLE = 1 << 2
SERVES_UNDOCUMENTED = 1 << 3
FAITH_BASED = 1 << 4
STAFF_WOMEN = 1 << 5
STAFF_MEN = 1 << 6
STAFF_MIXED = 1 << 7
ONLY_WOMAN = 1 << 8
ONLY_MAN = 1 << 9
ONLY_NON_BINARY = 1 << 10
ONLY_TRANSGENDER = 1 << 11
SURVIVOR_LED = 1 << 12
LGBTQ_AFFIRMING = 1 << 13
FREE_OF_COST = 1 << 14

# Person's gender (people.GenderIdentity) -> the "only for" bit that admits them.
GENDER_BITS = {
    "woman": ONLY_WOMAN,
    "man": ONLY_MAN,
    "non_binary": ONLY_NON_BINARY,
    "transgender": ONLY_TRANSGENDER,
}
ANY_GENDER_LIMIT = ONLY_WOMAN | ONLY_MAN | ONLY_NON_BINARY | ONLY_TRANSGENDER
STAFF_BITS = {"women": STAFF_WOMEN, "men": STAFF_MEN}
