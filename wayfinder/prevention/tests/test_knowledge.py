"""The knowledge check: scored by the instrument file, and the change per session and course."""

from __future__ import annotations

import pytest

from wayfinder.core.errors import CodedError
from wayfinder.prevention import actions, queries
from wayfinder.prevention.tests.factories import course, session, trainer

RIGHT = {
    "k_movement": "not_always",
    "k_forms": "sex_and_labour",
    "k_minor": "no_force_needed",
    "k_documents": "red_flag",
    "k_hotline": "n233733",
    "k_approach": "private",
}
WRONG = {
    "k_movement": "yes_always",
    "k_forms": "sex_only",
    "k_minor": "force_needed",
    "k_documents": "normal",
    "k_hotline": "n411",
    "k_approach": "confront",
}


def answers(n_right: int) -> dict:
    """The first ``n_right`` questions answered right, the rest wrong."""
    return {k: (RIGHT if i < n_right else WRONG)[k] for i, k in enumerate(RIGHT)}


def trainee(s, actor, n, pre=None, post=None):
    r = actions.register(
        s, name=f"T{n}", email=f"t{n}@example.org", organisation="", sector="education"
    )
    if pre is not None:
        actions.record_check(r, actor=actor, phase="pre", answers=answers(pre))
    if post is not None:
        actions.record_check(r, actor=actor, phase="post", answers=answers(post))
    r.refresh_from_db()
    return r


def test_the_score_is_the_share_answered_right(db):
    inst = actions.knowledge_check()
    assert [actions.score_answers(inst, answers(n)) for n in (0, 3, 5, 6)] == [
        0.0,
        50.0,
        83.3,
        100.0,
    ]
    with pytest.raises(CodedError):
        actions.score_answers(inst, {"k_movement": "not_always"})


def test_the_change_per_session_and_per_course_against_a_hand_computed_fixture(db):
    """Session 1: A 3/6 -> 6/6, B 0/6 -> 3/6, C only before (left out).
    Pre mean (50 + 0) / 2 = 25.0; post mean (100 + 50) / 2 = 75.0; change +50.0.
    Session 2 (same course): D 6/6 -> 6/6. Course: pre (50 + 0 + 100) / 3 = 50.0,
    post (100 + 50 + 100) / 3 = 83.3, change +33.3. Session 2 alone: 100 -> 100, change 0.
    """
    actor = trainer()
    c = course(actor)
    s1, s2 = session(actor, course=c), session(actor, course=c)
    trainee(s1, actor, 1, pre=3, post=6)
    trainee(s1, actor, 2, pre=0, post=3)
    trainee(s1, actor, 3, pre=4)
    trainee(s2, actor, 4, pre=6, post=6)
    g1 = queries.session_gain(s1)
    assert (g1.pairs, g1.pre_mean, g1.post_mean, g1.change) == (2, 25.0, 75.0, 50.0)
    g2 = queries.session_gain(s2)
    assert (g2.pairs, g2.change) == (1, 0.0)
    gc = queries.course_gain(c)
    assert (gc.pairs, gc.pre_mean, gc.post_mean, gc.change) == (3, 50.0, 83.3, 33.3)


def test_a_waitlisted_trainee_takes_no_check(db):
    actor = trainer()
    s = session(actor, capacity=1)
    trainee(s, actor, 1)
    waiting = trainee(s, actor, 2)
    with pytest.raises(CodedError):
        actions.record_check(waiting, actor=actor, phase="pre", answers=answers(3))
