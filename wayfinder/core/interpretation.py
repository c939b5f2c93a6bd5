"""Who interpreted: the fields an assessment session, a consent and a referral share.

When the person needs an interpreter (or speaks none of the staff member's language), the step
records who interpreted — an agency or service, never an interpreter's own name — how (in person,
by phone, by video) and in which language; or that no interpreter was needed, or that the person
declined one. ``interpretation`` blank means the question was not asked (it did not apply, or
the record predates it).

The choice of provider and its checks live in ``directory.interpreters`` (they read the
directory and the network's agencies); this module is the shape only, so consent (below the
directory) can carry it too.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wayfinder.core.languages import ISO_TO_UI, language_name


class Interpretation(models.TextChoices):
    INTERPRETED = "interpreted", _("An interpreter interpreted")
    NOT_NEEDED = "not_needed", _("No interpreter was needed")
    DECLINED = "declined", _("The person declined an interpreter")


class InterpreterMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video")


class ProviderKind(models.TextChoices):
    SERVICE = "service", _("A directory service")
    AGENCY = "agency", _("A network agency")
    OTHER = "other", _("Another interpreting service")


class InterpretationFields(models.Model):
    """Abstract: who interpreted a conversation. No interpreter's personal name is stored."""

    interpretation = models.CharField(
        _("interpreter"), max_length=12, choices=Interpretation.choices, blank=True, default=""
    )
    interpreter_mode = models.CharField(
        _("how the interpreter took part"),
        max_length=12,
        choices=InterpreterMode.choices,
        blank=True,
        default="",
    )
    interpreter_language = models.CharField(
        _("language interpreted"), max_length=3, blank=True, default=""
    )  # ISO 639-3
    interpreter_provider_kind = models.CharField(
        _("kind of interpreting provider"),
        max_length=8,
        choices=ProviderKind.choices,
        blank=True,
        default="",
    )
    # A directory service's HSDS id or a network agency's id; blank for another service.
    interpreter_provider_id = models.CharField(max_length=64, blank=True, default="")
    # The agency's or service's name as it was when recorded (the name of an outside service).
    interpreter_provider_name = models.CharField(
        _("interpreting agency or service"), max_length=200, blank=True, default=""
    )

    class Meta:
        abstract = True

    @property
    def interpreted(self) -> bool:
        return self.interpretation == Interpretation.INTERPRETED

    @property
    def interpretation_summary(self) -> str:
        """One line for a page: "By phone · Vietnamese · Community Interpreters"."""
        return interpretation_summary(self)


def interpretation_summary(obj) -> str:
    if not obj.interpretation:
        return ""
    if obj.interpretation != Interpretation.INTERPRETED:
        return str(Interpretation(obj.interpretation).label)
    parts = [
        str(InterpreterMode(obj.interpreter_mode).label) if obj.interpreter_mode else "",
        language_name(obj.interpreter_language) if obj.interpreter_language else "",
        obj.interpreter_provider_name,
    ]
    return gettext("Interpreted: %(details)s") % {"details": " · ".join(p for p in parts if p)}


@dataclass(frozen=True)
class InterpreterAnswer:
    """The "who interpreted" step as a form or the API gathered it (checked by the action).

    ``provider``: ``"service:<HSDS id>"``, ``"agency:<agency id>"`` or ``"other"`` (then
    ``provider_name`` names the outside service).
    """

    interpretation: str = ""
    mode: str = ""
    language: str = ""
    provider: str = ""
    provider_name: str = ""


def interpreter_relevant(person, conversation_ui_language: str) -> bool:
    """Ask "who interpreted" when the person needs an interpreter, or when none of their
    languages is the language the conversation is held in (an interface code such as "en")."""
    if getattr(person, "interpreter_needed", "") == "yes":
        return True
    languages = [c for c in (getattr(person, "preferred_languages", None) or []) if c]
    if not languages:
        return False
    base = (conversation_ui_language or "").split("-")[0]
    return not any(ISO_TO_UI.get(c) == base for c in languages)
