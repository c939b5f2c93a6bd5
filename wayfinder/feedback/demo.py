"""Demo: about 40 anonymous survey responses from the last ended quarter.

Harbor Light Alliance has 34: every domain shows, except parenting (only a few parents
answered), which reads "not enough responses yet". Justice Bridge Legal Aid has 4: nothing shows.
Two comments passed the check and show; one names someone and waits for the admin's review. One
message about Wayfinder waits for the network admin.
"""

from __future__ import annotations

import random
from datetime import timedelta

from wayfinder.core.service_categories import ServiceCategory
from wayfinder.feedback import actions
from wayfinder.feedback.models import Channel
from wayfinder.feedback.queries import default_period

SCALE_ITEMS = [
    "felt_safe",
    "kind_staff",
    "own_pace",
    "own_choices",
    "next_steps",
    "what_they_keep",
    "clear_answers",
    "someone_to_trust",
    "other_help",
    "saw_strengths",
    "my_goals",
    "my_ways",
    "my_language",
    "welcome_as_i_am",
]
COMMENTS = {
    3: "The staff listened to me and never rushed me.",
    11: "I wish the office was open later in the day.",
    20: "Maria Lopez at the front desk was so kind to me.",  # a name: held for review
}


def _answers(rng: random.Random, n: int, *, parent: bool, low: bool) -> dict:
    answers: dict = {}
    for item in SCALE_ITEMS:
        roll = rng.random()
        if roll < 0.06:
            answers[item] = "declined"
        elif roll < 0.1:
            continue  # skipped
        else:
            answers[item] = str(rng.choice([1, 2, 2, 3]) if low else rng.choice([3, 3, 4, 4, 2]))
    answers["cares_for_child"] = "yes" if parent else rng.choice(["no", "no", "declined"])
    if parent:
        answers["help_as_parent"] = str(rng.choice([2, 3, 4]))
        answers["child_welcome"] = str(rng.choice([3, 4]))
    answers["would_recommend"] = rng.choice(
        ["no", "not_sure"] if low else ["yes", "yes", "not_sure"]
    )
    return answers


def load(net) -> None:
    rng = random.Random(13)
    period = default_period()
    span = (period.end - period.start).days
    plan = [("lead", 34, False), ("legal", 4, True)]
    for key, count, low in plan:
        agency = net.agencies[key]
        category = (
            ServiceCategory.CASE_MANAGEMENT if key == "lead" else ServiceCategory.LEGAL_IMMIGRATION
        )
        for n in range(count):
            code = actions.mint_invitation(
                agency=agency, service_category=category, channel=Channel.CARD
            )
            day = period.start + timedelta(days=rng.randrange(span))
            parent = key == "lead" and n % 9 == 0  # 4 of 34: below the threshold
            actions.submit_response(
                code,
                _answers(rng, n, parent=parent, low=low),
                COMMENTS.get(n, "") if key == "lead" else "",
                on=day,
            )
    actions.submit_wayfinder_feedback(
        sender="staff",
        text="Printing the survey cards was easy. Could the sheet fit 12 cards on a page?",
    )
