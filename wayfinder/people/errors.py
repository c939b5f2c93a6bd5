"""The codes of the people app's errors (``docs/api.md`` lists them; never change a value)."""

from wayfinder.core.errors import ErrorCode


class PersonErrorCode(ErrorCode):
    NAME_REQUIRED = "name_required", "A chosen name or an alias is required."
    POSSIBLE_DUPLICATE = (
        "possible_duplicate",
        "Records here look alike (409); check, then resend with confirm_not_duplicate.",
    )
    CONFIRMATION_MISMATCH = "confirmation_mismatch", "Type the record code exactly to confirm."
    NOT_CASEWORK = "not_casework", "That user does no casework at that agency."
