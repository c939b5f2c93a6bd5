"""The codes of the delivery app's errors (``docs/api.md`` lists them; never change a value)."""

from wayfinder.core.errors import ErrorCode


class DeliveryErrorCode(ErrorCode):
    CATEGORY_REQUIRED = "delivery_category_required", "Choose the kind of service."
    UNIT_REQUIRED = "delivery_unit_required", "Choose a unit."
    QUANTITY_INVALID = "delivery_quantity_invalid", "The amount must be a whole number from 1."
    DATE_IN_FUTURE = "delivery_date_in_future", "The date cannot be in the future."
    CATEGORY_NOT_CONSENTED = (
        "delivery_category_not_consented",
        "The consent does not cover this kind of service.",
    )
    REFERRAL_UNKNOWN = "delivery_referral_unknown", "The referral is not on this person's record."
