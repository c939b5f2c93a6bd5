from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wayfinder.prevention.models import Audience, Channel, Course, Level, Sector

LANGUAGE_CHOICES = [("en", _("English")), ("es", _("Spanish"))]


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    sector = forms.ChoiceField(label=_("Sector you work in"), choices=Sector.choices)


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    objectives = forms.CharField(
        label=_("Learning objectives (one per line)"), widget=forms.Textarea(attrs={"rows": 4})
    )
    duration_minutes = forms.IntegerField(label=_("Length in minutes"), min_value=5, max_value=6000)


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"))
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    alt_text = forms.CharField(
        label=_("Text alternative (for an image)"), max_length=500, required=False
    )


class SessionForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.none())
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    sector = forms.ChoiceField(label=_("Audience sector"), choices=Sector.choices)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=1000)

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    audiences = forms.MultipleChoiceField(
        label=_("Audiences"), choices=Audience.choices, widget=forms.CheckboxSelectMultiple
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    starts_on = forms.DateField(label=_("Starts"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("Ends"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class LinkCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Short code (leave empty for a random one)"), max_length=16, required=False
    )


class OutreachForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    zip_code = forms.RegexField(
        label=_("ZIP code"), regex=r"^\d{5}$", error_messages={"invalid": _("Five digits.")}
    )
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    people_reached = forms.IntegerField(label=_("People reached"), min_value=0)
    materials_count = forms.IntegerField(label=_("Materials handed out"), min_value=0, initial=0)
