"""Plan data through the real actions."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from wayfinder.plans.actions import add_goal, add_note, add_step


def goal(personas, text="Quiero un lugar seguro donde vivir.", domain="housing", **kw):
    return add_goal(
        personas.survivor,
        actor=personas.actor(personas.navigator_a),
        text=text,
        domain=domain,
        language=kw.pop("language", "spa"),
        target_date=kw.pop("target_date", timezone.localdate() + timedelta(days=60)),
        **kw,
    )


def step(personas, g, text="Llenar la solicitud", due_in=7, assignee="person", **kw):
    return add_step(
        g,
        actor=personas.actor(personas.navigator_a),
        text=text,
        assignee=assignee,
        due_on=timezone.localdate() + timedelta(days=due_in),
        **kw,
    )


def note(personas, text="Trajo su identificación.", actor=None, **kw):
    return add_note(
        personas.survivor, actor=actor or personas.actor(personas.navigator_a), text=text, **kw
    )
