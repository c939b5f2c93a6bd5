"""Forms of the directory pages: search and filters, quick capacity update, listing edit."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wayfinder.core.languages import language_choices
from wayfinder.core.service_categories import ServiceCategory
from wayfinder.directory.geo import parse_place
from wayfinder.directory.models import ServiceStatus
from wayfinder.directory.taxonomy import GENDERS, Feature, StaffGender

# Boolean features, each a checkbox filter (staff gender is a choice of its own).
FEATURE_FILTERS = [f for f in Feature if f != Feature.STAFF_GENDER]
RADIUS_CHOICES = [
    ("", _("Any distance")),
    ("2", _("2 miles")),
    ("5", _("5 miles")),
    ("10", _("10 miles")),
    ("25", _("25 miles")),
    ("50", _("50 miles")),
]


class SearchForm(forms.Form):
    """Directory search (GET). Every field is optional; the capacity filter is for members."""

    q = forms.CharField(label=_("Name or description"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Service"), required=False)
    language = forms.ChoiceField(label=_("Staff speak"), required=False)
    near = forms.CharField(
        label=_("Near"),
        required=False,
        max_length=40,
        help_text=_("A US ZIP code, or latitude and longitude."),
    )
    radius = forms.ChoiceField(label=_("Within"), required=False, choices=RADIUS_CHOICES)
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    accepting = forms.BooleanField(label=_("Accepting referrals"), required=False)
    staff_gender = forms.ChoiceField(label=_("Gender of staff"), required=False)

    def __init__(self, *args, members: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._choice_field("category").choices = [("", _("Any service")), *ServiceCategory.choices]
        self._choice_field("language").choices = [("", _("Any language")), *language_choices()]
        self._choice_field("staff_gender").choices = [("", _("Any")), *StaffGender.choices]
        for feature in FEATURE_FILTERS:
            self.fields[feature.value] = forms.BooleanField(label=feature.label, required=False)
        if not members:
            del self.fields["accepting"]

    def _choice_field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        if not isinstance(field, forms.ChoiceField):
            raise TypeError(f"{name} is not a choice field")
        return field

    @property
    def feature_fields(self):
        return [self[f.value] for f in FEATURE_FILTERS]

    def clean_near(self):
        text = self.cleaned_data["near"].strip()
        if not text:
            return None
        point = parse_place(text)
        if point is None:
            raise forms.ValidationError(
                _(
                    "Enter a US ZIP code (like 60623) or a latitude and longitude (like 41.85, -87.71)."
                ),
                code="invalid_place",
            )
        return point

    def clean(self):
        data = super().clean()
        if data.get("radius") and not data.get("near") and "near" not in self.errors:
            self.add_error("near", _("Say where to measure the distance from."))
        return data


class CapacityForm(forms.Form):
    """The quick update: openings and waitlist, then one of two buttons (accepting or not)."""

    accepting = forms.TypedChoiceField(
        label=_("Accepting referrals"),
        choices=[("yes", _("Accepting referrals")), ("no", _("Not accepting referrals"))],
        coerce=lambda v: v == "yes",
    )
    available = forms.IntegerField(
        label=_("Openings now"), required=False, min_value=0, max_value=100000
    )
    waitlist_days = forms.IntegerField(
        label=_("Waitlist (days)"), required=False, min_value=0, max_value=3650
    )


class ListingForm(forms.Form):
    """What a partner may change about its own service."""

    status = forms.ChoiceField(label=_("Status"), choices=ServiceStatus.choices)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    categories = forms.MultipleChoiceField(
        label=_("Services offered"),
        choices=ServiceCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages staff speak"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    staff_gender = forms.ChoiceField(label=_("Gender of staff"), required=False)
    eligible_genders = forms.MultipleChoiceField(
        label=_("Only for (leave empty if the service is for everyone)"),
        required=False,
        choices=list(GENDERS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    faith_based = forms.BooleanField(label=_("Faith-based"), required=False)
    minimum_age = forms.IntegerField(
        label=_("Minimum age"), required=False, min_value=0, max_value=120
    )
    maximum_age = forms.IntegerField(
        label=_("Maximum age"), required=False, min_value=0, max_value=120
    )
    eligibility_description = forms.CharField(
        label=_("Who is eligible"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    fees_description = forms.CharField(
        label=_("Cost"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    application_process = forms.CharField(
        label=_("How to apply"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    interpretation_services = forms.CharField(
        label=_("Interpretation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    alert = forms.CharField(label=_("Alert"), required=False, max_length=500)

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = language_choices(extra=list(languages))
        self.fields["staff_gender"].choices = [("", _("Not stated")), *StaffGender.choices]
        for feature in FEATURE_FILTERS:
            self.fields[feature.value] = forms.BooleanField(label=feature.label, required=False)

    @property
    def feature_fields(self):
        return [self[f.value] for f in FEATURE_FILTERS]

    def clean(self):
        data = super().clean()
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", _("The maximum age cannot be below the minimum age."))
        return data
