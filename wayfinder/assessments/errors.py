"""The codes of the assessments app's errors (``docs/api.md`` lists them; never change a value)."""

from wayfinder.core.errors import ErrorCode


class AssessmentErrorCode(ErrorCode):
    INVALID_ANSWERS = "invalid_answers", "Some answers are not valid; see errors. Nothing saved."
    SESSION_CLOSED = "session_closed", "The assessment is already finished (409)."
    UNKNOWN_INSTRUMENT = "unknown_instrument", "The instrument is not offered here."
    UNKNOWN_LANGUAGE = "unknown_language", "The instrument is not available in that language."
    INVALID_MODE = "invalid_mode", "Unknown mode of administration."
    INVALID_INTERPRETER = "invalid_interpreter", "Say whether an interpreter is used."
    INVALID_DATE = "invalid_date", "The date is in the future or before 2000."
    INVALID_CATEGORY = "invalid_category", "Unknown need category."
    INVALID_URGENCY = "invalid_urgency", "Unknown urgency."
    INVALID_STATUS = "invalid_status", "Unknown need status."
    NOTE_TOO_LONG = "note_too_long", "The note is over 2000 characters."
    DUPLICATE_ITEM = "duplicate_item", "An item is answered twice in one request."
    DECLINED_WITH_VALUE = "declined_with_value", "An answer has a value and is declined."
    FLAG_ANSWERED = "flag_answered", "A response to the safety flag is already recorded (409)."
    RESPONSE_REQUIRED = "response_required", "Say what was done about the safety flag."
