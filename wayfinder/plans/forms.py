"""Forms for the plan: goals in the person's words, steps, status changes, progress notes."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from wayfinder.accounts.models import Agency
from wayfinder.consent.forms import language_choices
from wayfinder.plans.models import Assignee, Domain, GoalStatus, NoteVisibility, StepStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def need_choices(person) -> list[tuple[str, str]]:
    """The person's open needs, to link a goal to (empty when the assessments app has none)."""
    try:
        need_model = apps.get_model("assessments", "Need")
    except LookupError:
        return []
    needs = need_model.objects.filter(person_id=person.pk).order_by("created_at", "pk")
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


def _team_users(person):
    return [
        (str(m.user_id), f"{m.user} · {m.agency}")
        for m in person.care_team.select_related("user", "agency")
    ]


def _team_agencies(person):
    ids = {person.owner_agency_id, *person.care_team.values_list("agency_id", flat=True)}
    return Agency.objects.filter(pk__in=ids).order_by("name")


class StepForm(forms.Form):
    text = forms.CharField(label=_("Step"), max_length=4000)
    assignee = forms.ChoiceField(
        label=_("Who does it"),
        choices=Assignee.choices,
        widget=forms.RadioSelect,
        initial=Assignee.PERSON,
    )
    assigned_user = forms.ChoiceField(label=_("Staff member"), required=False)
    assigned_agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), required=False, empty_label=_("Choose")
    )
    due_on = forms.DateField(label=_("Due"), required=False, widget=DATE)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["assigned_user"].choices = [("", _("Choose")), *_team_users(person)]
        self.fields["assigned_agency"].queryset = _team_agencies(person)

    def assigned_user_obj(self):
        user_id = self.cleaned_data.get("assigned_user")
        if not user_id:
            return None
        member = self.person.care_team.filter(user_id=user_id).select_related("user").first()
        return member.user if member else None


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
