from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wayfinder.accounts.models import Agency, User
from wayfinder.conferences.models import AttendanceWish, MinutesVisibility, Outcome, SeriesType
from wayfinder.core.categories import Category


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


# --- the survivor's voice ---


class VoiceForm(forms.Form):
    know = forms.CharField(
        label=_("What they want the team to know"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
        help_text=_(
            "Their own words. Every attendee who may see this item reads them: leave out "
            "anything they asked not to be discussed."
        ),
    )
    decide = forms.CharField(
        label=_("What they want the team to decide"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    wish = forms.ChoiceField(
        label=_("At the meeting"),
        choices=[("", _("Not asked yet")), *AttendanceWish.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    representative = forms.CharField(
        label=_("Represented by"),
        required=False,
        max_length=200,
        help_text=_("Who speaks for them, e.g. their lawyer or their navigator."),
    )


class ExclusionsForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("Not to be discussed"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Hidden from everyone in the meeting, your own agency included."),
    )


# --- pages for the chair ---


class GroupedUsersField(forms.TypedMultipleChoiceField):
    """Network users, grouped by agency; the value is the user id."""

    def __init__(self, **kwargs):
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(**kwargs)


class SeriesForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        help_text=_("For example “Weekly case review”. Never a person's name."),
    )
    type = forms.ChoiceField(label=_("Type"), choices=SeriesType.choices)
    rrule = forms.CharField(
        label=_("Schedule (RFC 5545 rule)"),
        max_length=500,
        initial="FREQ=WEEKLY;BYDAY=TU",
        help_text=_(
            "For example FREQ=WEEKLY;BYDAY=TU for every Tuesday, or "
            "FREQ=MONTHLY;BYDAY=1MO for the first Monday of each month."
        ),
    )
    starts_at = forms.DateTimeField(
        label=_("First meeting"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=5, max_value=600, initial=60
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    attendees = GroupedUsersField(label=_("Standing attendees"), required=False)

    def __init__(self, *args, user_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = list(user_choices)


class GuestForm(forms.Form):
    user = forms.TypedChoiceField(label=_("Guest"), coerce=int)

    def __init__(self, *args, user_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", _("Choose someone")), *user_choices]


class ManualItemForm(forms.Form):
    record_code = forms.CharField(
        label=_("Record code"),
        max_length=16,
        help_text=_("The person's record code, e.g. WF-ABCD-EF: your agency's caseload only."),
    )
    presenter = forms.ModelChoiceField(
        label=_("Presenter"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, attendees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = User.objects.filter(pk__in=list(attendees or ()))
