"""The codes of the referrals app's errors (``docs/api.md`` lists them; never change a value)."""

from wayfinder.core.errors import ErrorCode


class ReferralErrorCode(ErrorCode):
    CONFLICT = "conflict", "Someone else changed the referral first (409); reload and retry."
    ILLEGAL_TRANSITION = "illegal_transition", "Not allowed from the referral's status (409)."
    CONSENT_REQUIRED = "consent_required", "No referral consent names the receiving agency."
    CONSENT_MISSING_CATEGORY = (
        "consent_missing_category",
        "The consent does not cover what this kind of service reveals.",
    )
    SERVICE_INACTIVE = "service_inactive", "The service is not taking people."
    SERVICE_UNKNOWN = "service_unknown", "There is no such service in the directory."
    RECIPIENT_MISMATCH = "recipient_mismatch", "The service belongs to another agency."
    RECIPIENT_INVALID = "recipient_invalid", "There is no such agency."
    RECIPIENT_IS_SENDER = "recipient_is_sender", "A referral goes outside the sending agency."
    RECIPIENT_INACTIVE = "recipient_inactive", "The receiving agency is no longer active."
    TARGET_REQUIRED = "target_required", "Name a service or an agency."
    CATEGORY_REQUIRED = "category_required", "Say what kind of service is needed."
    CATEGORY_NOT_OFFERED = "category_not_offered", "The service does not offer that kind of help."
    PRIORITY_INVALID = "priority_invalid", "Unknown priority."
    CONTACT_NOT_ALLOWED = (
        "contact_not_allowed",
        "Direct contact needs a safe contact method and consent to share contact details.",
    )
    NEED_UNKNOWN = "need_unknown", "The need is not on this person's record."
    GOAL_UNKNOWN = "goal_unknown", "The goal is not in this person's plan."
    CARE_TEAM_NOT_CONSENTED = (
        "care_team_not_consented",
        "No care-coordination consent names the partner: it cannot join the care team.",
    )
    ALREADY_ON_TEAM = "already_on_team", "The staff member is already on the care team (409)."
    NOTE_TOO_LONG = "note_too_long", "The note is over 4000 characters."
    TEXT_NOT_CONSENTED = (
        "text_not_consented",
        "The partner will not see the note or reason: the consent does not cover it. Edit the "
        "text, record consent, or confirm sending without it.",
    )
    NOTE_REQUIRED = "note_required", "A note is needed (an update, or the reason 'other')."
    REASON_REQUIRED = "reason_required", "This step needs a reason."
    OUTCOME_REQUIRED = "outcome_required", "Completing needs an outcome."
    OUTCOME_NOT_EXPECTED = "outcome_not_expected", "Only a completed referral has an outcome."
    NOT_A_PACKET = "not_a_packet", "The partner receives the referral in Wayfinder, not by e-mail."
    EMAIL_INVALID = "email_invalid", "Not a valid e-mail address."
    INVALID_SEARCH = "invalid_search", "A FHIR Task search parameter is not valid."
