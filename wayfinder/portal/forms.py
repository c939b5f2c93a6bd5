from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from wayfinder.portal.models import SecretKind

OFF = {"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}


class SignInForm(forms.Form):
    door = forms.CharField(
        label=_("Your door number"), max_length=20, widget=forms.TextInput(attrs=OFF)
    )
    secret = forms.CharField(
        label=_("Your PIN or pass phrase"),
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your one-time code"), max_length=30, widget=forms.TextInput(attrs=OFF)
    )


class RecoverForm(forms.Form):
    door = forms.CharField(
        label=_("Your door number"), max_length=20, widget=forms.TextInput(attrs=OFF)
    )
    code = forms.CharField(
        label=_("A code from your paper"), max_length=30, widget=forms.TextInput(attrs=OFF)
    )


class ChooseForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("How do you want to sign in?"),
        choices=[
            (SecretKind.PIN, _("A PIN: 6 numbers")),
            (SecretKind.PASSPHRASE, _("A pass phrase: a few words")),
        ],
        initial=SecretKind.PIN,
        widget=forms.RadioSelect,
    )
    secret = forms.CharField(
        label=_("Your PIN or pass phrase"),
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    again = forms.CharField(
        label=_("Type it again"),
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


class PreferencesForm(forms.Form):
    page_title = forms.CharField(
        label=_("Name for this page"),
        help_text=_("This name shows on the browser tab. Pick a dull one, like Notes."),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs=OFF),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Your note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, **OFF}),
    )
