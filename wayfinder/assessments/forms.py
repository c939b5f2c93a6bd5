"""Forms: starting a session, one section of answers, needs by hand, the hand-back password."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wayfinder.assessments import scoring
from wayfinder.assessments.instruments import (
    Instrument,
    ResponseType,
    Section,
    available_instruments,
    translate,
)
from wayfinder.assessments.models import NeedStatus, SessionMode
from wayfinder.assessments.queries import StoredAnswer, as_scoring_answers
from wayfinder.core.interpretation import interpreter_relevant
from wayfinder.core.languages import LanguageSelect, interface_language_label
from wayfinder.core.service_categories import ServiceCategory, Urgency
from wayfinder.directory.interpreters import InterpreterFormMixin

DECLINE_VALUE = "__declined__"

# What a person may read on a hand-over page besides the templates (wayfinder.core.survivor):
# the answer checks of forms.SectionForm and scoring.clean_value, and the section view's messages.
SURVIVOR_MESSAGES = [
    gettext_lazy("Prefer not to say"),
    gettext_lazy("Give an answer or choose “Prefer not to say”, not both."),
    gettext_lazy("(not answered)"),
    gettext_lazy("Choose one of the options."),
    gettext_lazy("Choose from the options."),
    gettext_lazy("That answer cannot be combined with the others you chose."),
    gettext_lazy("Enter a whole number."),
    gettext_lazy("Enter a number of at least %(min)s."),
    gettext_lazy("Enter a number no larger than %(max)s."),
    gettext_lazy("Enter a date as YYYY-MM-DD."),
    gettext_lazy("Enter a date after 1900."),
    gettext_lazy("Enter a date within the next ten years."),
    gettext_lazy("Enter text."),
    gettext_lazy("Keep this to %(n)s characters or fewer."),
    gettext_lazy("This answer is not valid."),
    gettext_lazy("Saved. Your answers opened more questions below."),
]


class StartForm(InterpreterFormMixin, forms.Form):
    instrument = forms.ChoiceField(label=gettext_lazy("Assessment"))
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the questions"), widget=LanguageSelect
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("How is it done?"), choices=SessionMode.choices, widget=forms.RadioSelect
    )
    conducted_on = forms.DateField(
        label=gettext_lazy("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Today, or the day a paper assessment was done."),
    )

    def __init__(self, *args, language: str = "en", person=None, **kwargs):
        super().__init__(*args, **kwargs)
        # "Who interpreted" only when the person needs an interpreter or speaks none of the
        # staff member's language.
        self.setup_interpreter(
            relevant=person is not None and interpreter_relevant(person, language), person=person
        )
        offered = available_instruments()
        self.fields["instrument"].choices = [(i.id, translate(i.title, language)) for i in offered]
        langs = sorted({lang for i in offered for lang in i.languages})
        self.fields["language"].choices = [(lang, interface_language_label(lang)) for lang in langs]
        self.fields["conducted_on"].initial = timezone.localdate()
        self.offered = {i.id: i for i in offered}

    def clean_conducted_on(self):
        day = self.cleaned_data["conducted_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day

    def clean(self):
        data = super().clean()
        inst = self.offered.get(data.get("instrument"))
        if inst is not None and data.get("language") and data["language"] not in inst.languages:
            self.add_error("language", _("This assessment is not available in that language."))
        return data


BLANK = [("", "—")]


class NeedForm(forms.Form):
    category = forms.ChoiceField(
        label=gettext_lazy("Service needed"), choices=BLANK + ServiceCategory.choices
    )
    urgency = forms.ChoiceField(label=gettext_lazy("Urgency"), choices=BLANK + Urgency.choices)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), choices=NeedStatus.choices, required=False
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Kept encrypted. Only what the team needs to know."),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["status"]


class HandbackForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Staff password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class FlagResponseForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What was done"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "For example: talked with the person, safety plan made, 988 called together. "
            "Kept sealed on the record."
        ),
    )


# --- one section of a session ------------------------------------------------------------------


@dataclass
class ItemView:
    id: str
    type: str
    name: str
    label: str
    help: str
    choices: list[dict] = field(default_factory=list)
    value: Any = None
    declined: bool = False
    error: str = ""
    visible: bool = True
    previous: str | None = None  # staff only: the answer at the last sitting
    default_from: str = ""  # the instrument of this visit whose answer filled this one in
    min: int | None = None
    max: int | None = None
    max_length: int | None = None

    @property
    def dom_id(self) -> str:
        return f"q-{self.id}"

    @property
    def is_choice(self) -> bool:
        return self.type in (ResponseType.SINGLE_CHOICE, ResponseType.YES_NO, ResponseType.SCALE)

    @property
    def is_multi(self) -> bool:
        return self.type == ResponseType.MULTIPLE_CHOICE

    @property
    def input_type(self) -> str:
        return {"number": "number", "date": "date"}.get(self.type, "text")


def display_answer(
    instrument: Instrument, item_id: str, stored: StoredAnswer | None, language: str
) -> str:
    """An answer as text for staff pages ("" when unanswered)."""
    if stored is None:
        return ""
    if stored.declined:
        return _("Prefer not to say")
    item = instrument.item(item_id)
    if item.type == ResponseType.MULTIPLE_CHOICE and isinstance(stored.value, list):
        return ", ".join(
            translate(o.label, language) for v in stored.value if (o := item.option(v))
        )
    if item.is_choice:
        opt = item.option(stored.value)
        return translate(opt.label, language) if opt else str(stored.value)
    return "" if stored.value is None else str(stored.value)


class SectionForm:
    """Parses and renders the answers of one section (field names ``a-<item id>``)."""

    def __init__(
        self,
        instrument: Instrument,
        section: Section,
        *,
        language: str,
        stored: dict[str, StoredAnswer],
        previous: dict[str, StoredAnswer] | None = None,
        previous_instrument: Instrument | None = None,
        defaults: dict | None = None,
        data=None,
    ):
        self.instrument, self.section, self.language = instrument, section, language
        self.defaults = defaults or {}  # {item id: tell_once.VisitDefault}
        self.stored, self.data = stored, data
        self.previous, self.previous_instrument = previous, previous_instrument or instrument
        self.errors: dict[str, str] = {}
        self.answers: dict[str, Any] = {}
        if data is not None:
            self._parse()

    def _parse(self) -> None:
        for item in self.section.items:
            name = f"a-{item.id}"
            if item.type == ResponseType.MULTIPLE_CHOICE:
                values = self.data.getlist(name)
                declined = DECLINE_VALUE in values
                values = [v for v in values if v != DECLINE_VALUE]
                raw: Any = values
            elif item.is_choice:
                raw = self.data.get(name, "")
                declined = raw == DECLINE_VALUE
                if declined:
                    raw = ""
            else:
                raw = self.data.get(name, "")
                declined = self.data.get(f"{name}-declined") == "1"
            has_value = raw not in ("", [], None) and not (isinstance(raw, str) and not raw.strip())
            if declined and has_value:
                self.errors[item.id] = _("Give an answer or choose “Prefer not to say”, not both.")
                continue
            if declined:
                self.answers[item.id] = scoring.DECLINED
                continue
            try:
                self.answers[item.id] = scoring.clean_value(item, raw)
            except scoring.AnswerError as exc:
                self.errors[item.id] = exc.message

    def is_valid(self) -> bool:
        return not self.errors

    def merged(self) -> dict[str, Any]:
        """Saved answers with this form's (valid) answers laid over them, for visibility."""
        base = as_scoring_answers(self.stored)
        for k, v in self.answers.items():
            if v is None:
                base.pop(k, None)
            else:
                base[k] = v
        return base

    def visible(self) -> set[str]:
        shown = scoring.visible_items(self.instrument, self.merged())
        return {i.id for i in self.section.items if i.id in shown}

    def changes(self) -> dict[str, Any]:
        """What to save: answers to the shown items (hidden ones are left as they are)."""
        shown = self.visible()
        return {k: v for k, v in self.answers.items() if k in shown}

    def items(self) -> list[ItemView]:
        shown = self.visible()
        views = []
        for item in self.section.items:
            stored = self.stored.get(item.id)
            if self.data is not None:
                ans = self.answers.get(item.id)
                declined = ans is scoring.DECLINED
                if item.id in self.errors:
                    value = self._raw(item)
                    declined = False
                else:
                    value = None if declined else ans
            else:
                declined = bool(stored and stored.declined)
                value = stored.value if stored and not stored.declined else None
            default_from = ""
            if self.data is None and stored is None and item.id in self.defaults:
                value = self.defaults[item.id].value  # asked already in this visit
                default_from = self.defaults[item.id].source
            picked = {str(v) for v in (value if isinstance(value, list) else [value])}
            choices = [
                {
                    "value": str(o.value),
                    "label": translate(o.label, self.language),
                    "checked": str(o.value) in picked,
                    "id": f"q-{item.id}-{n}",
                }
                for n, o in enumerate(item.options)
            ]
            previous = None
            if self.previous is not None and item.id in self.previous_instrument.items_by_id:
                previous = display_answer(
                    self.previous_instrument, item.id, self.previous.get(item.id), self.language
                ) or _("(not answered)")
            views.append(
                ItemView(
                    id=item.id,
                    type=item.type,
                    name=f"a-{item.id}",
                    label=translate(item.text, self.language),
                    help=translate(item.help, self.language),
                    choices=choices,
                    value=value,
                    declined=declined,
                    error=self.errors.get(item.id, ""),
                    visible=item.id in shown,
                    previous=previous,
                    default_from=default_from,
                    min=item.min,
                    max=item.max,
                    max_length=item.max_length if item.is_free_text else None,
                )
            )
        return views

    def _raw(self, item):
        name = f"a-{item.id}"
        if item.type == ResponseType.MULTIPLE_CHOICE:
            return [v for v in self.data.getlist(name) if v != DECLINE_VALUE]
        value = self.data.get(name, "")
        return "" if value == DECLINE_VALUE else value
