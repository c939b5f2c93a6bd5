from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wayfinder.accounts.actor import agencies_of
from wayfinder.accounts.models import Agency

DEFAULT_LIFETIME_DAYS = 90


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_(
            "What the token is for, so you can recognise it later (e.g. “Nightly export”)."
        ),
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.none(),
        empty_label=None,
        help_text=_("The token acts for you at this agency only, with your role there."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "The token works until the end of this day. Leave it empty for a token that does "
            "not expire (not recommended)."
        ),
    )

    def __init__(self, *args, user, active_agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(
            pk__in=[a.pk for a in agencies_of(user)]
        ).order_by("name")
        if not self.is_bound:
            self.initial.setdefault("agency", active_agency.pk if active_agency else None)
            self.initial.setdefault(
                "expires_on", timezone.localdate() + timedelta(days=DEFAULT_LIFETIME_DAYS)
            )

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day."), code="expiry_in_past")
        return day

    @property
    def expires_at(self) -> datetime | None:
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
