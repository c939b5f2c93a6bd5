"""Plan pages: the plan, its goals, steps and notes, and a printable copy in the person's language."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wayfinder.core.errors import add_action_errors
from wayfinder.core.languages import LANGUAGES as LANGUAGE_NAMES
from wayfinder.core.languages import UI_TO_ISO, form_language_for, language_switch
from wayfinder.people.sealing import unseal
from wayfinder.plans import actions, queries
from wayfinder.plans.forms import (
    GoalForm,
    GoalStatusForm,
    NoteForm,
    StepForm,
    StepStatusForm,
    goal_choices,
    team_for,
)


def _plan_page(request, access, *, status=200, goal_form=None, note_form=None, step_forms=None):
    actor = request.actor
    person = access.person
    plan = queries.plan_for(actor, access)
    owner = access.is_owner and actor.is_casework
    step_forms = step_forms or {}
    team = team_for(person) if owner else None
    for row in plan.goals:
        row.step_form = step_forms.get(row.goal.pk) or (
            StepForm(team=team, prefix=f"s{row.goal.pk.hex[:8]}") if owner else None
        )
        row.status_form = GoalStatusForm(initial={"status": row.goal.status}) if owner else None
        for srow in row.steps:
            srow.status_form = (
                StepStatusForm(initial={"status": srow.step.status}) if srow.can_update else None
            )
    return render(
        request,
        "plans/plan.html",
        {
            "person": person,
            "access": access,
            "plan": plan,
            "can_edit": owner,
            "goal_form": goal_form or (GoalForm(person=person) if owner else None),
            "note_form": note_form or NoteForm(goals=goal_choices(plan.goals)),
            "language_name": LANGUAGE_NAMES.get(person.primary_language, ""),
        },
        status=status,
    )


def _back(goal_or_person_id):
    return redirect("plans:plan", person_id=goal_or_person_id)


@login_required
@require_GET
def plan(request, person_id):
    access = queries.plan_access(request.actor, person_id)
    return _plan_page(request, access)


@login_required
@require_POST
def goal_create(request, person_id):
    access = queries.plan_access(request.actor, person_id)
    if not access.is_owner:
        raise Http404
    form = GoalForm(request.POST, person=access.person)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.add_goal(
                access.person,
                actor=request.actor,
                text=d["text"],
                language=d["language"],
                domain=d["domain"],
                target_date=d["target_date"],
                need_id=d["need_id"] or None,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Goal added to the plan."))
            return _back(person_id)
    return _plan_page(request, access, status=422, goal_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request, goal_id):
    goal, access = queries.get_goal(request.actor, goal_id)
    if not access.is_owner:
        raise Http404

    words = unseal(goal.person, goal.words_ct, actions.GOAL_PURPOSE) or {}
    if request.method == "POST":
        form = GoalForm(request.POST, person=goal.person)
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.update_goal(
                    goal,
                    actor=request.actor,
                    text=d["text"],
                    language=d["language"],
                    domain=d["domain"],
                    target_date=d["target_date"],
                    need_id=d["need_id"] or None,
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("Goal updated."))
                return _back(goal.person_id)
    else:
        form = GoalForm(
            person=goal.person,
            initial={
                "text": words.get("text", ""),
                "language": words.get("language", ""),
                "domain": goal.domain,
                "target_date": goal.target_date,
                "need_id": str(goal.need_id) if goal.need_id else "",
            },
        )
    return render(
        request, "plans/goal_edit.html", {"goal": goal, "person": goal.person, "form": form}
    )


@login_required
@require_POST
def goal_status(request, goal_id):
    goal, access = queries.get_goal(request.actor, goal_id)
    if not access.is_owner:
        raise Http404
    form = GoalStatusForm(request.POST)
    if form.is_valid():
        actions.set_goal_status(goal, actor=request.actor, status=form.cleaned_data["status"])
        messages.success(request, _("Goal status changed."))
    return _back(goal.person_id)


@login_required
@require_POST
def step_create(request, goal_id):
    goal, access = queries.get_goal(request.actor, goal_id)
    if not access.is_owner:
        raise Http404
    form = StepForm(request.POST, team=team_for(goal.person), prefix=f"s{goal.pk.hex[:8]}")
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.add_step(
                goal,
                actor=request.actor,
                text=d["text"],
                assignee=d["assignee"],
                assigned_user=form.assigned_user_obj(),
                assigned_agency=form.assigned_agency_obj(),
                due_on=d["due_on"],
                language=d["language"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Step added."))
            return _back(goal.person_id)
    return _plan_page(request, access, status=422, step_forms={goal.pk: form})


@login_required
@require_POST
def step_status(request, step_id):
    step, _access = queries.get_step(request.actor, step_id)
    form = StepStatusForm(request.POST)
    if form.is_valid():
        actions.set_step_status(step, actor=request.actor, status=form.cleaned_data["status"])
        messages.success(request, _("Step updated."))
    return _back(step.person_id)


@login_required
@require_POST
def note_create(request, person_id):
    access = queries.plan_access(request.actor, person_id)
    goals = queries.visible_goals(access)
    form = NoteForm(request.POST, goals=[(str(g.pk), g.get_domain_display()) for g in goals])
    if form.is_valid():
        d = form.cleaned_data
        goal = None
        if d["goal"]:
            goal = next(g for g in goals if str(g.pk) == d["goal"])
        try:
            actions.add_note(
                access.person,
                actor=request.actor,
                text=d["text"],
                visibility=d["visibility"],
                goal=goal,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Note added."))
            return _back(person_id)
    return _plan_page(request, access, status=422, note_form=form)


@login_required
@require_GET
def plan_print(request, person_id):
    """The plan for the person to keep: their goals and steps, in their language."""
    access = queries.plan_access(request.actor, person_id)
    if not access.is_owner:
        raise Http404
    plan = queries.plan_for(request.actor, access)
    # The person's language by default; the page's switch (?lang=) prints it in another.
    shipped = [code for code, _name in settings.LANGUAGES]
    language = request.GET.get("lang", "")
    if language not in shipped:
        language = form_language_for(access.person)
    # The whole page is the person's: its frame, direction and dates follow their language.
    with translation.override(language):
        return render(
            request,
            "plans/print.html",
            {
                "person": access.person,
                "plan": plan,
                "print_language": language,
                "print_iso": UI_TO_ISO.get(language, ""),
                "contacts": queries.who_to_call(access.person, plan),
                "switch": language_switch(
                    reverse("plans:print", args=[person_id]), language, method="get", field="lang"
                ),
            },
        )
