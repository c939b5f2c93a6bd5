"""The codes of the prevention app's errors (never change a value)."""

from wayfinder.core.errors import ErrorCode


class PreventionErrorCode(ErrorCode):
    FIELD_REQUIRED = "field_required", "A required field is empty."
    CHOICE_UNKNOWN = "choice_unknown", "Unknown level, sector, audience, channel or language."
    PLACE_REQUIRED = "place_required", "Give a place or a video link."
    CAPACITY_INVALID = "capacity_invalid", "Seats must be between 1 and 1000."
    ZIP_INVALID = "zip_invalid", "A ZIP code is five digits."
    ALT_TEXT_REQUIRED = "alt_text_required", "An image needs a text alternative."
    CODE_TAKEN = "code_taken", "That short code is already used."
    CODE_INVALID = "code_invalid", "A short code is 3 to 16 letters or digits."
    ALREADY_REGISTERED = "already_registered", "This e-mail is already registered for the session."
    ANSWERS_INCOMPLETE = "answers_incomplete", "Answer every question of the knowledge check."
    NOT_ATTENDED = "not_attended", "Only people who attended can be scored or certified."
    PURGED = "purged", "This trainee's details were purged after the retention period."
