"""The codes of the directory app's errors (``docs/api.md`` lists them; never change a value)."""

from wayfinder.core.errors import ErrorCode


class DirectoryErrorCode(ErrorCode):
    INVALID = "invalid", "The capacity figures are not valid."
    REQUIRED = "required", "The note is empty."
    INVALID_FORMAT = "invalid_format", "Unknown export format."
    INVALID_CATEGORY = "invalid_category", "Unknown service category."
    INVALID_FEATURE = "invalid_feature", "Unknown service feature or staff gender."
    INVALID_STATUS = "invalid_status", "Unknown service status."
    INVALID_FIELD = "invalid_field", "Unknown service field."
    INVALID_AGE = "invalid_age", "Ages run from 0 to 120, minimum not above maximum."
    INVALID_LANGUAGE = "invalid_language", "Unknown language code."
    INVALID_GENDER = "invalid_gender", "Unknown gender."
    INVALID_PARAMETER = "invalid_parameter", "An HSDS query parameter is not valid (400)."
    INVALID_INTERPRETATION = (
        "invalid_interpretation",
        "Unknown answer to who interpreted (interpreted, not_needed, declined).",
    )
    INVALID_INTERPRETER_MODE = "invalid_interpreter_mode", "Unknown interpreter mode."
    INVALID_INTERPRETER_PROVIDER = (
        "invalid_interpreter_provider",
        "Unknown or missing interpreting agency or service.",
    )
