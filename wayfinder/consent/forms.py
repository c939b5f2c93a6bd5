"""Forms for recording and withdrawing consent (the actions do the real checks)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from wayfinder.accounts.models import Agency
from wayfinder.consent.actions import ConsentRequest, Signature
from wayfinder.consent.models import (
    GrantorCapacity,
    Method,
    Purpose,
    RevocationChannel,
    SignatureKind,
)
from wayfinder.consent.wording import category_choices
from wayfinder.core.errors import add_action_errors
from wayfinder.core.interpretation import interpreter_relevant
from wayfinder.core.languages import LANGUAGES as LANGUAGE_NAMES
from wayfinder.core.languages import (
    LanguageSelect,
    form_language_for,
    interface_language_choices,
)
from wayfinder.directory.interpreters import InterpreterFormMixin


def start_of(day) -> datetime:
    """Local midnight at the start of ``day``."""
    return timezone.make_aware(datetime.combine(day, time.min))


def language_choices(person) -> list[tuple[str, str]]:
    """The person's own languages first, then English and Spanish."""
    codes = list(dict.fromkeys([*(person.preferred_languages or []), "eng", "spa"]))
    return [(c, LANGUAGE_NAMES.get(c, c)) for c in codes]


class ConsentForm(InterpreterFormMixin, forms.Form):
    recipient_agency = forms.ModelChoiceField(
        label=_("Share with"), queryset=Agency.objects.none(), empty_label=_("Choose an agency")
    )
    purposes = forms.MultipleChoiceField(
        label=_("Why"),
        choices=Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.MultipleChoiceField(
        label=_("What may be shared"),
        choices=category_choices(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick only what this agency needs. Substance use treatment information is shared only "
            "when it is ticked here and the 42 CFR Part 2 details below are complete."
        ),
    )
    valid_from = forms.DateField(
        label=_("Sharing starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    expires_on = forms.DateField(
        label=_("Sharing ends after"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Consent always has an end date. Sharing stops at the end of this day."),
    )
    method = forms.ChoiceField(
        label=_("How the person gave consent"), choices=Method.choices, widget=forms.RadioSelect
    )
    language = forms.ChoiceField(label=_("Language of the conversation"))
    form_language = forms.ChoiceField(
        label=_("Language of the written form"), widget=LanguageSelect
    )
    grantor_capacity = forms.ChoiceField(
        label=_("Who gave consent"),
        choices=GrantorCapacity.choices,
        widget=forms.RadioSelect,
        initial=GrantorCapacity.SELF,
    )
    grantor_name = forms.CharField(
        label=_("Name of the parent or guardian"),
        required=False,
        max_length=200,
        help_text=_("Only when a parent, guardian or court-appointed guardian gave consent."),
    )
    minor_assent = forms.BooleanField(
        label=_("The young person agreed too"),
        required=False,
        help_text=_("For a minor, both the young person and their parent or guardian agree."),
    )
    signature_kind = forms.ChoiceField(
        label=_("Signature"), choices=SignatureKind.choices, widget=forms.RadioSelect
    )
    typed_name = forms.CharField(label=_("Typed signature"), required=False, max_length=200)
    drawn_png = forms.CharField(required=False, widget=forms.HiddenInput)
    upload = forms.FileField(
        label=_("Scan or photo of the signed form"),
        required=False,
        help_text=_("PDF, PNG or JPEG. It is stored encrypted."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )
    witness_name = forms.CharField(label=_("Witness"), required=False, max_length=200)
    signed_on = forms.DateField(
        label=_("Date of signature"), widget=forms.DateInput(attrs={"type": "date"})
    )
    substance_use_description = forms.CharField(
        label=_("Which substance use information exactly"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: dates of treatment and attendance at New Dawn Recovery."),
    )
    part2_revocation_explained = forms.BooleanField(
        label=_("I told the person they can withdraw this consent in writing at any time"),
        required=False,
    )
    explained_not_a_condition = forms.BooleanField(
        label=_("I told the person that saying no will not change the help they get"),
        required=False,
    )

    def __init__(self, *args, person, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["recipient_agency"].queryset = (
            Agency.objects.filter(is_active=True).exclude(pk=actor.agency.pk).order_by("name")
        )
        self.fields["language"].choices = language_choices(person)
        self.fields["form_language"].choices = interface_language_choices()
        today = timezone.localdate()
        self.fields["valid_from"].initial = today
        self.fields["expires_on"].initial = today + timedelta(
            days=settings.WAYFINDER_CONSENT_DEFAULT_DAYS
        )
        self.fields["signed_on"].initial = today
        self.fields["language"].initial = person.primary_language or "eng"
        self.fields["form_language"].initial = form_language_for(person)
        # "Who interpreted" only when the person needs an interpreter or speaks none of the
        # staff member's language.
        self.setup_interpreter(
            relevant=interpreter_relevant(person, translation.get_language() or "en"),
            person=person,
        )

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload and upload.size > settings.WAYFINDER_CONSENT_UPLOAD_MAX_BYTES:
            raise ValidationError(_("The file is too large."), code="artifact_too_large")
        return upload

    def consent_request(self) -> ConsentRequest:
        """The cleaned form as a request for ``create_consent``."""
        d = self.cleaned_data
        today = timezone.localdate()
        upload = d.get("upload")
        return ConsentRequest(
            recipient_agency=d["recipient_agency"],
            purposes=d["purposes"],
            categories=d["categories"],
            valid_from=timezone.now() if d["valid_from"] <= today else start_of(d["valid_from"]),
            expires_at=start_of(d["expires_on"] + timedelta(days=1)),
            method=d["method"],
            signature=Signature(
                kind=d["signature_kind"],
                typed_name=d["typed_name"],
                drawn_png=d["drawn_png"],
                upload=upload.read() if upload else None,
                upload_content_type=getattr(upload, "content_type", "") if upload else "",
                witness_name=d["witness_name"],
            ),
            signed_at=timezone.now() if d["signed_on"] >= today else start_of(d["signed_on"]),
            grantor_capacity=d["grantor_capacity"],
            grantor_name=d["grantor_name"],
            minor_assent=d["minor_assent"],
            language=d["language"],
            form_language=d["form_language"],
            interpreter=self.interpreter_answer(),
            substance_use_description=d["substance_use_description"],
            part2_revocation_explained=d["part2_revocation_explained"],
            explained_not_a_condition=d["explained_not_a_condition"],
        )


# Errors from ``create_consent`` whose field is named differently on the form.
ACTION_FIELD_TO_FORM = {"expires_at": "expires_on", "signed_at": "signed_on"}


def add_consent_errors(form: forms.Form, exc: ValidationError) -> None:
    """``create_consent``'s coded errors on the consent form (two fields are named differently)."""
    add_action_errors(form, exc, rename=ACTION_FIELD_TO_FORM)


class RevokeForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How did the person tell you?"),
        # The survivor portal records its own withdrawals: staff never pick that channel.
        choices=[c for c in RevocationChannel.choices if c[0] != RevocationChannel.SURVIVOR_PORTAL],
        widget=forms.RadioSelect,
    )
