"""The form to record a service delivered."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wayfinder.core.service_categories import ServiceCategory
from wayfinder.delivery.models import Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceForm(forms.Form):
    category = forms.ChoiceField(label=_("Kind of service"), choices=ServiceCategory.choices)
    delivered_on = forms.DateField(label=_("Date delivered"), widget=DATE)
    quantity = forms.IntegerField(label=_("How much"), min_value=1, max_value=100000)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    referral_id = forms.TypedChoiceField(
        label=_("Referral it fulfils"), required=False, coerce=str, empty_value=None
    )

    def __init__(self, *args, referrals=(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("delivered_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["referral_id"].choices = [("", _("None"))] + [
            (str(r.pk), f"{r.reference} · {r.get_service_category_display()} · {r.recipient_name}")
            for r in referrals
        ]
