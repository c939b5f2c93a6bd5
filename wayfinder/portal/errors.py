"""The codes of the portal app's errors (``docs/api.md`` lists them; never change a value)."""

from wayfinder.core.errors import ErrorCode


class PortalErrorCode(ErrorCode):
    CODE_INVALID = "portal_code_invalid", "The one-time code is wrong, used or expired."
    PIN_INVALID = "portal_pin_invalid", "A PIN is 6 digits."
    PASSPHRASE_TOO_SHORT = "portal_passphrase_short", "A passphrase has at least 12 characters."
    SECRETS_DIFFER = "portal_secrets_differ", "The two entries are not the same."
    NOTE_REQUIRED = "portal_note_required", "The note is empty."
    NOTE_TOO_LONG = "portal_note_too_long", "The note is too long."
    ANSWER_UNKNOWN = "portal_answer_unknown", "The answer is yes, partly or no."
