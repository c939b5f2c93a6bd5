"""The codes of the accounts app's errors (``docs/api.md`` lists them; never change a value)."""

from wayfinder.core.errors import ErrorCode


class AccountErrorCode(ErrorCode):
    DUPLICATE_AGENCY = "duplicate_agency", "An agency with this name already exists."
    OWN_AGENCY = "own_agency", "An admin cannot deactivate the agency they work for."
    BAD_ROLE = "bad_role", "Unknown role."
    ALREADY_MEMBER = "already_member", "That user is already a member of the agency."
    NOT_PENDING = "not_pending", "The invitation was already accepted."
    SELF_DEMOTION = "self_demotion", "An admin cannot remove their own admin role."
