"""Every write to a referral, by topic: ``create``, ``transitions``, ``packet``, ``reminders``
(scheduling the service-level checks) and ``notifications``. One transaction each, with its
audit event (ids and codes only).

The public actions are re-exported here, so callers write
``from wayfinder.referrals.actions import accept_referral``.
"""

from wayfinder.referrals.actions.care_team import care_team_offer, join_care_team
from wayfinder.referrals.actions.create import (
    ReferralRequest,
    create_referral,
    service_categories,
)
from wayfinder.referrals.actions.notifications import mark_notifications_read
from wayfinder.referrals.actions.packet import (
    email_packet_notice,
    packet_notice,
    record_packet_printed,
)
from wayfinder.referrals.actions.reminders import schedule_reminders
from wayfinder.referrals.actions.transitions import (
    accept_referral,
    add_update,
    cancel_referral,
    complete_referral,
    fail_referral,
    hold_for_withdrawn_consent,
    hold_referral,
    record_opened,
    reject_referral,
    resume_referral,
    start_referral,
    submit_referral,
    transition,
)
from wayfinder.referrals.reminders import send_reminder

__all__ = [
    "ReferralRequest",
    "accept_referral",
    "add_update",
    "cancel_referral",
    "care_team_offer",
    "complete_referral",
    "create_referral",
    "email_packet_notice",
    "fail_referral",
    "hold_for_withdrawn_consent",
    "hold_referral",
    "join_care_team",
    "mark_notifications_read",
    "packet_notice",
    "record_opened",
    "record_packet_printed",
    "reject_referral",
    "resume_referral",
    "schedule_reminders",
    "send_reminder",
    "service_categories",
    "start_referral",
    "submit_referral",
    "transition",
]
