"""The codes of the conferences app's errors (never change a value)."""

from wayfinder.core.errors import ErrorCode


class ConferenceErrorCode(ErrorCode):
    RRULE_INVALID = "rrule_invalid", "The recurrence rule is not a valid RFC 5545 RRULE."
    PLACE_REQUIRED = "place_required", "Give a place or a video link."
    TEXT_REQUIRED = "text_required", "The text is empty."
    TEXT_TOO_LONG = "text_too_long", "The text is too long."
    OUTCOME_UNKNOWN = "outcome_unknown", "Unknown outcome."
    VISIBILITY_UNKNOWN = "visibility_unknown", "Unknown minutes visibility."
    OWNER_REQUIRED = "owner_required", "Give the action item an owner: a user or an agency."
    NOT_AN_ATTENDEE = "not_an_attendee", "That user does not attend this meeting."
    MEETING_CLOSED = "meeting_closed", "The meeting is closed."
    OUTCOMES_MISSING = "outcomes_missing", "Every agenda item needs an outcome first."
    LINK_UNKNOWN = "link_unknown", "The plan goal or referral is not this person's."
    TYPE_UNKNOWN = "type_unknown", "Unknown meeting type."
    CATEGORY_UNKNOWN = "category_unknown", "Unknown data category."
    NO_OCCURRENCE = "no_occurrence", "The schedule has no further meeting."
    # Follow-up (issue 12, part B): action items into the plan, conference tasks.
    ACTION_NOT_OPEN = (
        "action_not_open",
        "The action item is done, cancelled or already in the plan.",
    )
    GOAL_REQUIRED = "goal_required", "Choose one of the person's open goals for the step."
    WISH_UNKNOWN = "wish_unknown", "Unknown choice for attending the meeting."
    REPRESENTATIVE_REQUIRED = "representative_required", "Say who will represent the person."
    PERSON_UNKNOWN = "person_unknown", "No person with that record code on the chair's caseload."
    LINK_INVALID = "video_link_invalid", "The video link is not an http(s) address."
