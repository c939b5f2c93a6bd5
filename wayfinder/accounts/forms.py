from django import forms
from django.utils.translation import gettext_lazy as _

from wayfinder.accounts.actions import grantable_roles
from wayfinder.accounts.actor import Actor
from wayfinder.accounts.models import Agency, AgencyKind, Role


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Work e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("The invitation with a link to choose a password goes to this address."),
    )
    display_name = forms.CharField(
        label=_("Name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("How colleagues will see this person. Optional."),
    )
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, actor: Actor, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = set(grantable_roles(actor, agency))
        self.fields["role"].choices = [(v, label) for v, label in Role.choices if v in allowed]
        self.fields["role"].initial = Role.NAVIGATOR if Role.NAVIGATOR in allowed else None


class AgencyForm(forms.Form):
    """Create (``agency=None``) or edit an agency. The actions check that the name is free."""

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of agency"), choices=AgencyKind.choices)
    is_victim_service_provider = forms.BooleanField(
        label=_("Victim service provider"),
        required=False,
        help_text=Agency._meta.get_field("is_victim_service_provider").help_text,
    )
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("Staff of an inactive agency can no longer work for it. Its records are kept."),
    )

    def __init__(self, *args, agency: Agency | None = None, **kwargs):
        if agency is not None:
            kwargs.setdefault("initial", {f: getattr(agency, f) for f in AGENCY_FORM_FIELDS})
        super().__init__(*args, **kwargs)
        if agency is None:
            # A new agency is active; deactivation is a separate, confirmed step.
            del self.fields["is_active"]


AGENCY_FORM_FIELDS = ("name", "kind", "is_victim_service_provider", "is_active")
