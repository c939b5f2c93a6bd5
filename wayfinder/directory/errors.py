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
