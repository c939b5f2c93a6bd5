"""The codes of the accounts app's errors (``docs/api.md`` lists them; never change a value)."""

from wayfinder.core.errors import ErrorCode


class AccountErrorCode(ErrorCode):
    DUPLICATE_AGENCY = "duplicate_agency", "An agency with this name already exists."
    OWN_AGENCY = "own_agency", "An admin cannot deactivate the agency they work for."
    BAD_ROLE = "bad_role", "Unknown role."
    ALREADY_MEMBER = "already_member", "That user is already a member of the agency."
    NOT_PENDING = "not_pending", "The invitation was already accepted."
    SELF_DEMOTION = "self_demotion", "An admin cannot remove their own admin role."
    SELF_GRANT = "self_grant", "An admin cannot give themself a role; they ask for it instead."
    ALREADY_REQUESTED = "already_requested", "The admin has already asked for this role."
    NO_SECOND_ADMIN = "no_second_admin", "No other admin of the agency could approve a self-grant."
    OWN_REQUEST = "own_request", "Another admin must decide on an admin's own role request."
    DECIDED = "decided", "The role request has already been approved or refused."
    LAST_ADMIN = "last_admin", "A network admin cannot remove an agency's last admin."


class TokenErrorCode(ErrorCode):
    """The codes of the API token actions (``wayfinder.accounts.actions``)."""

    NAME_REQUIRED = "name_required", "A token needs a name."
    EXPIRY_IN_PAST = "expiry_in_past", "A token's expiry date must be in the future."
    TOO_MANY_TOKENS = "too_many_tokens", "The user has as many tokens as allowed."
