"""The codes of the matching app's errors (``docs/api.md`` lists them; never change a value)."""

from wayfinder.core.errors import ErrorCode


class MatchingErrorCode(ErrorCode):
    INVALID_PLACE = "invalid_place", "'near' is not a US ZIP code or 'latitude,longitude'."
