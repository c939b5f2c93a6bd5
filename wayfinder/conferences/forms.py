from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wayfinder.accounts.models import Agency, User
from wayfinder.conferences.models import MinutesVisibility, Outcome


class MinutesForm(forms.Form):
    text = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 4}))
    visibility = forms.ChoiceField(
        label=_("Who may read the minutes"), choices=MinutesVisibility.choices
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)


class ActionForm(forms.Form):
    text = forms.CharField(label=_("Action"), max_length=2000)
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))
    owner_user = forms.ModelChoiceField(
        label=_("Owner (person)"), queryset=User.objects.none(), required=False
    )
    owner_agency = forms.ModelChoiceField(
        label=_("Owner (agency)"), queryset=Agency.objects.none(), required=False
    )

    def __init__(self, *args, attendees=None, **kwargs):
        super().__init__(*args, **kwargs)
        ids = list(attendees or ())
        self.fields["owner_user"].queryset = User.objects.filter(pk__in=ids)
        self.fields["owner_agency"].queryset = Agency.objects.filter(
            memberships__user__in=ids
        ).distinct()


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Present"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, attendees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = User.objects.filter(pk__in=list(attendees or ()))


# --- Follow-up (issue 12, part B) ---


class AddToPlanForm(forms.Form):
    """Which of the person's open goals the accepted action item becomes a step of."""

    goal = forms.ChoiceField(label=_("Goal"))

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = list(goals)
