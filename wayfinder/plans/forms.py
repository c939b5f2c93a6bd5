"""Forms for the plan: goals in the person's words, steps, status changes, progress notes."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wayfinder.assessments.models import Need, need_priority
from wayfinder.consent.forms import language_choices
from wayfinder.core.languages import UI_TO_ISO
from wayfinder.core.languages import language_choices as core_language_choices
from wayfinder.plans.assignees import assignable_agencies
from wayfinder.plans.models import Assignee, Domain, GoalStatus, NoteVisibility, StepStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def need_choices(person) -> list[tuple[str, str]]:
    """The person's needs, most urgent first, to link a goal to (empty when there are none)."""
    needs = sorted(Need.objects.filter(person_id=person.pk), key=need_priority)
    return [(str(n.pk), f"{n.get_category_display()} ({n.get_urgency_display()})") for n in needs]


class GoalForm(forms.Form):
    text = forms.CharField(
        label=_("The goal, in the person's own words"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Write what they said, as they said it, in their language."),
    )
    language = forms.ChoiceField(label=_("Language of these words"))
    domain = forms.ChoiceField(label=_("Area of life"), choices=Domain.choices)
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DATE)
    need_id = forms.ChoiceField(label=_("Need it answers"), required=False)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices(person)
        self.fields["language"].initial = person.primary_language or "eng"
        self.fields["need_id"].choices = [("", _("None")), *need_choices(person)]


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)


@dataclass
class Team:
    """The person's care team and its agencies (incl. the owning agency), read once per page."""

    members: list
    agencies: list


def team_for(person) -> Team:
    """The care team, and every agency a step may be for (``plans.assignees``)."""
    members = list(person.care_team.select_related("user", "agency").order_by("-is_lead", "pk"))
    return Team(members, assignable_agencies(person))


class StepForm(forms.Form):
    text = forms.CharField(label=_("Step"), max_length=4000)
    assignee = forms.ChoiceField(
        label=_("Who does it"),
        choices=Assignee.choices,
        widget=forms.RadioSelect,
        initial=Assignee.PERSON,
    )
    assigned_user = forms.ChoiceField(label=_("Staff member"), required=False)
    assigned_agency = forms.ChoiceField(label=_("Agency"), required=False)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DATE)
    language = forms.ChoiceField(label=_("Language of this step"), required=False)

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)  # declared above
        language.choices = core_language_choices()
        self.fields["language"].initial = UI_TO_ISO.get((get_language() or "")[:2], "eng")
        self.fields["assigned_user"].choices = [
            ("", _("Choose")),
            *((str(m.user_id), f"{m.user} · {m.agency}") for m in team.members),
        ]
        self.fields["assigned_agency"].choices = [
            ("", _("Choose")),
            *((str(a.pk), a.name) for a in team.agencies),
        ]

    def assigned_user_obj(self):
        wanted = self.cleaned_data.get("assigned_user")
        return next((m.user for m in self.team.members if str(m.user_id) == wanted), None)

    def assigned_agency_obj(self):
        wanted = self.cleaned_data.get("assigned_agency")
        return next((a for a in self.team.agencies if str(a.pk) == wanted), None)


class StepStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=StepStatus.choices)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Progress note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    visibility = forms.ChoiceField(
        label=_("Who can read it"),
        choices=NoteVisibility.choices,
        widget=forms.RadioSelect,
        initial=NoteVisibility.CARE_TEAM,
    )
    goal = forms.ChoiceField(label=_("About the goal"), required=False)

    def __init__(self, *args, goals=(), **kwargs):
        """``goals``: (id, label) of the goals this reader can see."""
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [("", _("The plan as a whole")), *goals]


def goal_choices(rows) -> list[tuple[str, str]]:
    """Choices for a note's goal, from the plan's goal rows (area and the start of the words)."""
    return [(str(r.goal.pk), f"{r.goal.get_domain_display()}: {r.text[:60]}") for r in rows]
