from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

ALLOWED_SUFFIXES = (".json", ".csv", ".zip")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("HSDS file"),
        help_text=_(
            "Open Referral HSDS 3.0: a JSON file (one object, a list, or a page of an HSDS API), "
            "one CSV table named after it (services.csv), or a ZIP of a CSV folder with its "
            "datapackage.json."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_SUFFIXES)}),
    )
    check_only = forms.BooleanField(
        label=_("Only check the file; do not import it"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.WAYFINDER_DIRECTORY_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)},
                code="too_large",
            )
        if PurePosixPath(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(
                _("Upload a .json, .csv or .zip file."), code="invalid_type"
            )
        return upload
