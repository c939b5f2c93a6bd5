"""The codes of the people app's errors (``docs/api.md`` lists them; never change a value)."""

from wayfinder.core.errors import ErrorCode


class PersonErrorCode(ErrorCode):
    NAME_REQUIRED = "name_required", "A chosen name or an alias is required."
    DATE_IN_FUTURE = "date_in_future", "A date of birth or end of exploitation is in the future."
    DATE_TOO_EARLY = "date_too_early", "A date of birth or end of exploitation is before 1900."
    BIRTH_YEAR_INVALID = "birth_year_invalid", "The year of birth is before 1900 or in the future."
    BIRTH_YEAR_MISMATCH = "birth_year_mismatch", "The year of birth differs from the date of birth."
    LANGUAGE_REPEATED = "language_repeated", "A preferred language is listed twice."
    POSSIBLE_DUPLICATE = (
        "possible_duplicate",
        "Records here look alike (409); check, then resend with confirm_not_duplicate.",
    )
    CONFIRMATION_MISMATCH = "confirmation_mismatch", "Type the record code exactly to confirm."
    NOT_CASEWORK = "not_casework", "That user does no casework at that agency."
    NAMES_NOT_IN_URLS = (
        "names_not_in_urls",
        "A name search sent in the address (400); POST it to /api/v1/persons/search instead.",
    )
    SEARCH_TOO_BROAD = (
        "search_too_broad",
        "More persons of the agency match the name than a search lists (422, cap): type more of it.",
    )
