"""The codes of the feedback app's errors (never change a value)."""

from wayfinder.core.errors import ErrorCode


class FeedbackErrorCode(ErrorCode):
    CODE_UNKNOWN = "feedback_code_unknown", "The feedback code is unknown, used or expired."
    PERIOD_INVALID = "period_invalid", "The period is not a quarter such as 2026-Q3."
    CATEGORY_UNKNOWN = "service_category_unknown", "Unknown service category."
    COUNT_INVALID = "card_count_invalid", "Ask for between 1 and 60 cards."
    TEXT_REQUIRED = "feedback_text_required", "The text is empty."
    TEXT_TOO_LONG = "feedback_text_too_long", "The text is too long."
    ANSWER_INVALID = "feedback_answer_invalid", "An answer is not one of the item's options."
    NOT_ADMIN = "feedback_not_admin", "Only an agency admin or a network admin may see this."
    ALREADY_REVIEWED = "comment_already_reviewed", "The comment was already reviewed."
