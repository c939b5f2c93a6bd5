"""The codes of the plans app's errors (``docs/api.md`` lists them; never change a value)."""

from wayfinder.core.errors import ErrorCode


class PlanErrorCode(ErrorCode):
    TEXT_REQUIRED = "text_required", "The text is empty."
    TEXT_TOO_LONG = "text_too_long", "The text is too long."
    NEED_UNKNOWN = "need_unknown", "The need is not on this person's record."
    TARGET_IN_PAST = "target_in_past", "The target date is in the past."
    DOMAIN_REQUIRED = "domain_required", "Choose an area of life."
    STATUS_UNKNOWN = "status_unknown", "Unknown goal or step status."
    ASSIGNEE_NOT_ON_TEAM = "assignee_not_on_team", "The assignee is not on the care team."
    ASSIGNEE_REQUIRED = "assignee_required", "Say who does the step."
    VISIBILITY_REQUIRED = "visibility_required", "Say who may read the note."
