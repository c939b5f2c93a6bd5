"""Intake and edit (trauma-informed), care team and forget forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from wayfinder.accounts.actor import Actor
from wayfinder.core.errors import add_action_errors
from wayfinder.core.languages import language_choices
from wayfinder.people.actions import check_intake
from wayfinder.people.countries import country_choices
from wayfinder.people.models import (
    PREFER_NOT,
    ContactMethod,
    FaithPreference,
    GenderIdentity,
    Identity,
    Person,
    ReferralSource,
    SafetyLevel,
    StaffGenderPreference,
    TraffickingForm,
    YesNo,
)
from wayfinder.people.queries import likely_duplicates

NOT_ANSWERED = _("Not answered yet")
# The action's argument → the form's field, where they differ.
ACTION_FIELD_TO_FORM = {"preferred_languages": "language_2"}
BOTH_ERROR = _("Give an answer or tick “Prefer not to say”, not both.")

# Fields without a "Prefer not to say" choice of their own get a checkbox ``<field>_declined``.
DECLINABLE_IDENTITY = (
    "legal_name",
    "aliases",
    "date_of_birth",
    "identity_numbers",
    "communication_needs",
    "cultural_considerations",
    "safe_contact_times",
    "phone",
    "email",
    "address",
    "postal_code",
)
DECLINABLE_PLAIN = (
    "pronouns",
    "birth_year",
    "country_of_origin",
    "preferred_languages",
    "exploitation_ended_on",
)
CHOICE_FIELDS = (
    "gender_identity",
    "interpreter_needed",
    "staff_gender_preference",
    "faith_preference",
    "safety_level",
    "safe_contact_method",
    "trafficking_form",
    "referral_source",
)
LANGUAGE_SLOTS = 3
DUPLICATE_INPUTS = (
    "[name=chosen_name],[name=legal_name],[name=aliases],[name=date_of_birth],"
    "[name=exclude],[name=confirm_different]"
)

FIELDSETS = [
    (
        "about",
        _("About you"),
        _("Share only what you are comfortable with. You can change or add to this later."),
        [
            "chosen_name",
            "pronouns",
            "gender_identity",
            "legal_name",
            "aliases",
            "date_of_birth",
            "birth_year",
            "country_of_origin",
            "identity_numbers",
        ],
    ),
    (
        "language",
        _("Language and communication"),
        _("So we can talk with you in the language you prefer."),
        [
            "preferred_languages",
            "interpreter_needed",
            "communication_needs",
            "cultural_considerations",
            "staff_gender_preference",
            "faith_preference",
        ],
    ),
    (
        "safety",
        _("Safety and contact"),
        _("We will only contact you in the ways you choose."),
        [
            "safety_level",
            "safe_contact_method",
            "safe_contact_times",
            "phone",
            "email",
            "address",
            "postal_code",
        ],
    ),
    (
        "situation",
        _("Your situation"),
        _("Only if you want to share. You never have to tell your story to get help."),
        ["trafficking_form", "exploitation_ended_on", "referral_source"],
    ),
]


def _choices(choices) -> list:
    return [("", NOT_ANSWERED), *choices]


def _text(label, help_text="", max_length=200, **kwargs):
    return forms.CharField(
        label=label, help_text=help_text, max_length=max_length, required=False, **kwargs
    )


def _area(label, help_text=""):
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _date(label, help_text=""):
    return forms.DateField(
        label=label,
        help_text=help_text,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class PersonForm(forms.Form):
    """Intake and edit. Only the chosen name is required; everything else may be declined."""

    chosen_name = forms.CharField(
        label=_("What name would you like us to use?"),
        help_text=_("Any name or alias is fine. This is the only question that needs an answer."),
        max_length=200,
    )
    pronouns = _text(_("Pronouns"), _("For example: she/her, he/him, they/them."), 40)
    gender_identity = forms.ChoiceField(
        label=_("Gender"), choices=_choices(GenderIdentity.choices), required=False
    )
    legal_name = _text(
        _("Legal name, if different"),
        _("Only needed for some services, such as legal help or housing."),
    )
    aliases = forms.CharField(
        label=_("Other names you have used"),
        help_text=_("One name per line."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    date_of_birth = _date(_("Date of birth"))
    birth_year = forms.IntegerField(
        label=_("Or only the year you were born"),
        required=False,
        min_value=1900,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    country_of_origin = forms.ChoiceField(label=_("Country you come from"), required=False)
    identity_numbers = _text(
        _("ID or document numbers"),
        _("Only if a service needs them. Like everything identifying, they are stored encrypted."),
    )
    interpreter_needed = forms.ChoiceField(
        label=_("Would you like an interpreter?"), choices=_choices(YesNo.choices), required=False
    )
    communication_needs = _area(
        _("Anything that helps us communicate with you"),
        _("For example: reading, hearing or sight needs, or how you like to receive information."),
    )
    cultural_considerations = _area(_("Cultural or faith considerations we should know about"))
    staff_gender_preference = forms.ChoiceField(
        label=_("Would you prefer to work with staff of a particular gender?"),
        choices=_choices(StaffGenderPreference.choices),
        required=False,
    )
    faith_preference = forms.ChoiceField(
        label=_("Faith-based services"),
        choices=_choices(FaithPreference.choices),
        required=False,
    )
    safety_level = forms.ChoiceField(
        label=_("How safe do you feel right now?"),
        choices=_choices(SafetyLevel.choices),
        required=False,
    )
    safe_contact_method = forms.ChoiceField(
        label=_("What is the safest way to reach you?"),
        choices=_choices(ContactMethod.choices),
        required=False,
    )
    safe_contact_times = _text(_("When is it safe to contact you?"))
    phone = _text(_("Phone number"), max_length=40, widget=forms.TextInput(attrs={"type": "tel"}))
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    address = _area(_("Address"))
    postal_code = _text(_("ZIP or postal code"), max_length=12)
    trafficking_form = forms.ChoiceField(
        label=_("What kind of situation was it? (if you want to share)"),
        choices=_choices(TraffickingForm.choices),
        required=False,
    )
    exploitation_ended_on = _date(
        _("When did this end? (if you want to share)"), _("An approximate date is fine.")
    )
    referral_source = forms.ChoiceField(
        label=_("How did you find us?"), choices=_choices(ReferralSource.choices), required=False
    )
    confirm_different = forms.BooleanField(
        label=_("I have checked: this is a different person from the record(s) above."),
        required=False,
    )

    def __init__(self, *args, actor: Actor, person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor, self.person = actor, person
        self.duplicates: list[Person] = []
        self.fields["country_of_origin"].choices = _choices(country_choices())
        current = list(self.initial.get("preferred_languages") or [])
        self.language_slots = max(LANGUAGE_SLOTS, len(current))
        lang_choices = _choices(language_choices(extra=current))
        for i in range(self.language_slots):
            name = f"language_{i + 1}"
            self.fields[name] = forms.ChoiceField(
                label=[_("First language"), _("Second language"), _("Third language")][i]
                if i < LANGUAGE_SLOTS
                else _("Another language"),
                choices=lang_choices,
                required=False,
            )
            if i < len(current):
                self.initial[name] = current[i]
        for f in DECLINABLE_IDENTITY + DECLINABLE_PLAIN:
            self.fields[f"{f}_declined"] = forms.BooleanField(label=PREFER_NOT, required=False)
            self.initial.setdefault(f"{f}_declined", f in self.initial.get("declined", ()))
        # The live duplicate check (own agency only) as the navigator types a name or birth date.
        for name in ("chosen_name", "legal_name", "aliases", "date_of_birth"):
            self.fields[name].widget.attrs.update(
                {
                    "hx-post": reverse("person_duplicates"),
                    "hx-trigger": "change, keyup changed delay:700ms",
                    "hx-target": "#duplicate-warning",
                    "hx-include": DUPLICATE_INPUTS,
                    "hx-sync": "closest form:replace",
                }
            )
        this_year = timezone.localdate().year
        self.fields["birth_year"].validators.append(MaxValueValidator(this_year))
        self.fields["birth_year"].widget.attrs["max"] = this_year

    # --- layout for the template -------------------------------------------------------------

    def language_fields(self):
        return [self[f"language_{i + 1}"] for i in range(self.language_slots)]

    def fieldsets(self):
        out = []
        for key, legend, intro, names in FIELDSETS:
            items = []
            for name in names:
                decline = self[f"{name}_declined"] if f"{name}_declined" in self.fields else None
                field = None if name == "preferred_languages" else self[name]
                items.append({"name": name, "field": field, "decline": decline})
            out.append({"key": key, "legend": legend, "intro": intro, "items": items})
        return out

    # --- validation --------------------------------------------------------------------------

    def clean_chosen_name(self):
        name = self.cleaned_data["chosen_name"].strip()
        if not name:
            raise forms.ValidationError(_("A name or alias is required."), code="required")
        return name

    def clean_aliases(self):
        lines = self.cleaned_data["aliases"].splitlines()
        return [line.strip() for line in lines if line.strip()]

    def clean(self):
        data = super().clean()
        for f in DECLINABLE_IDENTITY + DECLINABLE_PLAIN:
            if f == "preferred_languages":
                answered = any(data.get(f"language_{i + 1}") for i in range(self.language_slots))
            else:
                answered = data.get(f) not in (None, "", [])
            if answered and data.get(f"{f}_declined"):
                self.add_error("language_1" if f == "preferred_languages" else f, BOTH_ERROR)
        languages = [
            data.get(f"language_{i + 1}")
            for i in range(self.language_slots)
            if data.get(f"language_{i + 1}")
        ]
        data["preferred_languages"] = languages
        # The record's rules live in the action (the API keeps them too): show its errors here.
        try:
            check_intake(self.identity(), self.plain())
        except ValidationError as exc:
            add_action_errors(self, exc, rename=ACTION_FIELD_TO_FORM)
        dob, year = data.get("date_of_birth"), data.get("birth_year")
        if dob and not year and not data.get("birth_year_declined"):
            data["birth_year"] = dob.year
        if not self.errors:
            self._check_duplicates(data)
        return data

    def _check_duplicates(self, data):
        self.duplicates = likely_duplicates(self.actor, self.identity(), exclude=self.person)
        if self.duplicates and not data.get("confirm_different"):
            self.add_error(
                "confirm_different",
                _(
                    "A record at your agency may be the same person. Open it to check, or confirm "
                    "that this is a different person."
                ),
            )

    # --- output for the actions --------------------------------------------------------------

    def identity(self) -> Identity:
        d = self.cleaned_data
        return Identity(
            chosen_name=d.get("chosen_name", ""),
            legal_name=d.get("legal_name", ""),
            aliases=d.get("aliases") or [],
            date_of_birth=d.get("date_of_birth"),
            phone=d.get("phone", ""),
            email=d.get("email", ""),
            address=d.get("address", ""),
            postal_code=d.get("postal_code", ""),
            identity_numbers=d.get("identity_numbers", ""),
            communication_needs=d.get("communication_needs", ""),
            cultural_considerations=d.get("cultural_considerations", ""),
            safe_contact_times=d.get("safe_contact_times", ""),
            declined=[f for f in DECLINABLE_IDENTITY if d.get(f"{f}_declined")],
        )

    def plain(self) -> dict:
        d = self.cleaned_data
        plain = {f: d.get(f) or "" for f in CHOICE_FIELDS}
        plain.update(
            pronouns=d.get("pronouns", ""),
            birth_year=d.get("birth_year"),
            country_of_origin=d.get("country_of_origin", ""),
            preferred_languages=d.get("preferred_languages", []),
            exploitation_ended_on=d.get("exploitation_ended_on"),
            declined=[f for f in DECLINABLE_PLAIN if d.get(f"{f}_declined")],
        )
        return plain


def initial_from(data: dict) -> dict:
    """Form initial values from ``reveal_person`` output (the owner's full view)."""
    initial = {k: v for k, v in data.items() if v is not None}
    initial["aliases"] = "\n".join(data.get("aliases") or [])
    return initial


class DuplicateCheckForm(forms.Form):
    """The few fields the live duplicate check looks at (all optional, loosely validated)."""

    chosen_name = forms.CharField(required=False, max_length=200)
    legal_name = forms.CharField(required=False, max_length=200)
    aliases = forms.CharField(required=False, max_length=2000)
    date_of_birth = forms.DateField(required=False)

    def identity(self) -> Identity:
        d = self.cleaned_data
        return Identity(
            chosen_name=d.get("chosen_name") or "",
            legal_name=d.get("legal_name") or "",
            aliases=[a.strip() for a in (d.get("aliases") or "").splitlines() if a.strip()],
            date_of_birth=d.get("date_of_birth"),
        )


def _attrs_html(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html`` in Python: `` name="value"``, `` name`` for True."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class StaffSelect(forms.Select):
    """A ``Select`` whose HTML is built in Python instead of one template include per option.

    Byte for byte what Django's ``select.html``/``select_option.html`` templates give (the
    people tests compare both), for a list of choices that grows with the network's staff.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [
            f'<select name="{conditional_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>'
        ]
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in group_choices:
                parts.append(
                    f'\n  <option value="{conditional_escape(option["value"])}"'
                    f"{_attrs_html(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


class CareTeamAddForm(forms.Form):
    member = forms.ChoiceField(
        # Focus moves here when the form is fetched into the page (wayfinder.js).
        widget=StaffSelect(attrs={"data-autofocus": True}),
        label=_("Staff member"),
        help_text=_(
            "Casework staff of any agency in the network. Staff of another agency see this "
            "record only while a consent covers their agency."
        ),
    )
    make_lead = forms.BooleanField(label=_("Make them the lead"), required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {str(m.pk): m for m in candidates}
        roles = {}  # each role's label, translated once
        groups: dict[str, list] = {}
        for m in candidates:
            role = roles.get(m.role)
            if role is None:
                role = roles[m.role] = m.get_role_display()
            label = f"{m.user} — {role}"
            groups.setdefault(m.agency.name, []).append((str(m.pk), label))
        self.fields["member"].choices = [("", _("Choose a staff member")), *groups.items()]

    def clean_member(self):
        return self.candidates[self.cleaned_data["member"]]


class ForgetForm(forms.Form):
    code = forms.CharField(
        label=_("Type the record code to confirm"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class HistoryFilterForm(forms.Form):
    """Who, what and when on the access history page (GET; every field optional)."""

    who = forms.TypedChoiceField(label=_("Who"), required=False, coerce=int, empty_value=None)
    what = forms.ChoiceField(label=_("What"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, people, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["who"].choices = [("", _("Anyone")), *((u.pk, str(u)) for u in people)]
        self.fields["what"].choices = [("", _("Anything")), *actions]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise ValidationError(_("The start date is after the end date."), code="date_order")
        return data
