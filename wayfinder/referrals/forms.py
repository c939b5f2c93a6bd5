"""Forms for making and moving referrals (the actions do the real checks)."""

from __future__ import annotations

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wayfinder.accounts.models import Agency
from wayfinder.core.interpretation import interpreter_relevant
from wayfinder.core.service_categories import ServiceCategory
from wayfinder.directory.interpreters import InterpreterFormMixin
from wayfinder.directory.models import Service
from wayfinder.referrals.actions import ReferralRequest
from wayfinder.referrals.models import Outcome, Priority, Reason


class ServiceSearchForm(forms.Form):
    q = forms.CharField(label=_("Service or organisation name"), max_length=100, required=False)


class AgencyChoiceForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Or refer to a network agency directly"),
        queryset=Agency.objects.none(),
        empty_label=_("Choose an agency"),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = (
            Agency.objects.filter(is_active=True).exclude(pk=actor.agency.pk).order_by("name")
        )


class ReferralForm(InterpreterFormMixin, forms.Form):
    need = forms.ChoiceField(label=_("The need it answers"), required=False)
    goal = forms.ChoiceField(label=_("The goal in the person's plan"), required=False)
    service_category = forms.ChoiceField(label=_("Kind of service"))
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    reason_for_referral = forms.CharField(
        label=_("Reason for referral"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Written for the receiving agency: what the person needs from them. Shared only if "
            "the person agreed to share the reason for referral with this agency."
        ),
    )
    note = forms.CharField(
        label=_("Note to the receiving agency"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Shared only if the person agreed to share their needs with this agency. Write only "
            "what the partner needs to know."
        ),
    )
    confirm_withheld = forms.BooleanField(
        label=_("Send without the text the person did not agree to share"),
        required=False,
        help_text=_("The receiving agency will not see it."),
    )
    direct_contact = forms.BooleanField(
        label=_("The person agreed that this agency may contact them directly"),
        required=False,
        help_text=_(
            "Leave unticked and the referral says “do not contact the person directly”: the "
            "partner arranges contact through you."
        ),
    )

    def __init__(
        self,
        *args,
        needs=(),
        goals=(),
        categories=(),
        contact_possible=False,
        person=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        # "Who interpreted" only when the person needs an interpreter or speaks none of the
        # staff member's language.
        self.setup_interpreter(
            relevant=person is not None
            and interpreter_relevant(person, translation.get_language() or "en"),
            person=person,
        )
        self.fields["need"].choices = [("", _("No particular need"))] + [
            (str(n.pk), f"{n.get_category_display()} · {n.get_urgency_display()}") for n in needs
        ]
        self.fields["goal"].choices = [("", _("No goal"))] + [
            (str(g.pk), f"{g.get_domain_display()} · {g.get_status_display()}") for g in goals
        ]
        offered = [c for c in ServiceCategory if c.value in set(categories)] or list(
            ServiceCategory
        )
        self.fields["service_category"].choices = [(c.value, c.label) for c in offered]
        if not contact_possible:
            self.fields["direct_contact"].disabled = True

    def referral_request(
        self, *, service: Service | None, agency: Agency | None, send: bool
    ) -> ReferralRequest:
        """The cleaned form as a request for ``create_referral`` (to ``service``, else ``agency``)."""
        d = self.cleaned_data
        return ReferralRequest(
            service=service,
            recipient_agency=None if service else agency,
            service_category=d["service_category"],
            need_id=d["need"] or None,
            goal_id=d["goal"] or None,
            priority=d["priority"],
            note=d["note"],
            reason=d["reason_for_referral"],
            direct_contact=bool(d.get("direct_contact")),
            send=send,
            confirm_withheld=bool(d.get("confirm_withheld")),
            interpreter=self.interpreter_answer(),
        )


class TransitionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.ChoiceField(
        label=_("Reason"),
        # "Consent withdrawn" is set by the withdrawal itself, never chosen.
        choices=[
            ("", _("Choose a reason")),
            *(c for c in Reason.choices if c[0] != Reason.CONSENT_WITHDRAWN),
        ],
        required=False,
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", _("Choose an outcome")), *Outcome.choices], required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm_withheld = forms.BooleanField(required=False)


class UpdateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = forms.CharField(
        label=_("Update"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PacketEmailForm(forms.Form):
    email = forms.EmailField(
        label=_("The organisation's e-mail address"),
        help_text=_("The e-mail holds no personal information, only how to get the packet safely."),
    )
