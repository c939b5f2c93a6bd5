"""The codes of the consent app's errors (``docs/api.md`` lists them; never change a value)."""

from wayfinder.core.errors import ErrorCode


class ConsentErrorCode(ErrorCode):
    ALREADY_REVOKED = "already_revoked", "The consent was already withdrawn (409)."
    ALREADY_ENDED = "already_ended", "The consent has already ended (409)."
    CHANNEL_REQUIRED = "channel_required", "Say how the withdrawal was received."
    RECIPIENT_INVALID = "recipient_invalid", "The recipient must be another active agency."
    PURPOSE_REQUIRED = "purpose_required", "At least one purpose is needed."
    PURPOSE_UNKNOWN = "purpose_unknown", "Unknown purpose."
    CATEGORY_REQUIRED = "category_required", "At least one category is needed."
    CATEGORY_UNKNOWN = "category_unknown", "Unknown category."
    EXPIRY_REQUIRED = "expiry_required", "Consent needs an end date."
    EXPIRY_IN_PAST = "expiry_in_past", "The end date must be in the future."
    EXPIRY_TOO_FAR = "expiry_too_far", "The consent lasts longer than the network allows."
    SIGNED_IN_FUTURE = "signed_in_future", "The signature date is in the future."
    METHOD_REQUIRED = "method_required", "Say how consent was given."
    SIGNATURE_MISMATCH = "signature_mismatch", "The signature kind does not fit the method."
    SIGNATURE_MISSING = "signature_missing", "The signature is missing."
    SIGNATURE_INVALID = "signature_invalid", "The drawn signature is not a readable PNG."
    WITNESS_REQUIRED = "witness_required", "A witnessed consent names the witness."
    ARTIFACT_MISSING = "artifact_missing", "Attach the signed form."
    ARTIFACT_TOO_LARGE = "artifact_too_large", "The signed form's file is too large."
    ARTIFACT_TYPE = "artifact_type", "The signed form must be a PDF, PNG or JPEG."
    ARTIFACT_INVALID = "artifact_invalid", "upload_base64 is not valid base64."
    GRANTOR_REQUIRED = "grantor_required", "Say who gave consent."
    GRANTOR_NAME_REQUIRED = "grantor_name_required", "Name the guardian."
    MINOR_ASSENT_REQUIRED = "minor_assent_required", "A minor must assent as well."
    NOT_A_CONDITION_UNCONFIRMED = (
        "not_a_condition_unconfirmed",
        "Confirm the person was told services do not depend on consenting.",
    )
    PART2_NEEDS_SIGNATURE = "part2_needs_signature", "Substance use consent must be signed."
    PART2_DESCRIPTION_REQUIRED = (
        "part2_description_required",
        "Describe the substance use information that may be shared.",
    )
    PART2_REVOCATION_REQUIRED = (
        "part2_revocation_required",
        "Confirm the person was told they can withdraw in writing.",
    )
    LANGUAGE_INVALID = "language_invalid", "Use a three-letter (ISO 639-3) language code."
    FORM_LANGUAGE_INVALID = "form_language_invalid", "The form is not available in that language."
