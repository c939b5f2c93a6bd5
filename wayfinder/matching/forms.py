from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from wayfinder.directory.geo import parse_place

RADIUS_CHOICES = [
    ("5", _("5 miles")),
    ("10", _("10 miles")),
    ("25", _("25 miles")),
    ("50", _("50 miles")),
    ("", _("Any distance")),
]


class MatchForm(forms.Form):
    """Options of "Find services". Sent by POST, so a typed place never enters a URL."""

    need = forms.ChoiceField(label=_("Need"), required=False)
    near = forms.CharField(
        label=_("Measure distance from"),
        required=False,
        max_length=40,
        help_text=_(
            "A US ZIP code, or latitude and longitude. Leave empty to use the person's postal "
            "code, if it is recorded and shared with you."
        ),
    )
    radius = forms.ChoiceField(label=_("Within"), required=False, choices=RADIUS_CHOICES)
    undocumented = forms.BooleanField(
        label=_("Only services that serve people regardless of immigration status"),
        required=False,
    )

    def __init__(self, *args, needs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [("", _("All open needs"))] + [
            (str(n.pk), f"{n.get_category_display()} ({n.get_urgency_display()})") for n in needs
        ]
        if not self.is_bound:
            self.initial.setdefault("radius", str(settings.WAYFINDER_MATCH_RADIUS_MILES))

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

    def clean_radius(self):
        value = self.cleaned_data["radius"]
        return float(value) if value else None
