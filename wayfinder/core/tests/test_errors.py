"""One error vocabulary: coded errors are raised one way and turned into JSON one way."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from wayfinder.api.errors import validation_body
from wayfinder.consent.errors import ConsentErrorCode
from wayfinder.core.errors import CodedError, add_action_errors, all_error_codes
from wayfinder.referrals.errors import ReferralErrorCode


def test_a_code_must_come_from_an_apps_error_codes():
    with pytest.raises(TypeError):
        CodedError("conflict", "A bare string is not a code.")


def test_a_coded_error_is_a_validation_error_with_code_and_status():
    exc = CodedError(ReferralErrorCode.CONFLICT, "Changed.", status=409)
    assert isinstance(exc, ValidationError) and exc.code == "conflict"
    assert validation_body(exc) == (409, {"code": "conflict", "message": "Changed."})


def test_a_field_error_is_listed_by_field_whatever_the_app():
    """Before, consent, referrals and the shared handler each gave their own JSON for this."""
    for code in (ConsentErrorCode.METHOD_REQUIRED, ReferralErrorCode.NOTE_REQUIRED):
        exc = CodedError(code, "Say it.", field="note")
        status, body = validation_body(exc)
        assert status == 422 and exc.code == code.value
        assert body == {
            "code": code.value,
            "message": "Say it.",
            "errors": {"note": [{"code": code.value, "message": "Say it."}]},
        }


def test_a_field_error_keeps_its_own_status():
    """A state conflict about a named input (an assignee not on the team) is still a 409."""
    exc = CodedError(ReferralErrorCode.NOTE_REQUIRED, "Say it.", field="note", status=409)
    assert validation_body(exc)[0] == 409


def test_combined_field_errors_keep_every_field_and_the_first_code():
    combined = CodedError.combine(
        [
            CodedError(ConsentErrorCode.PURPOSE_REQUIRED, "Purpose.", field="purposes"),
            CodedError(ConsentErrorCode.EXPIRY_REQUIRED, "End.", field="expires_at"),
        ]
    )
    status, body = validation_body(combined)
    assert status == 422 and body["code"] == "purpose_required"
    assert list(body["errors"]) == ["purposes", "expires_at"]
    assert CodedError.combine([]) is None


def test_a_plain_validation_error_still_gives_its_code():
    assert validation_body(ValidationError("No.", code="invalid_x")) == (
        422,
        {"code": "invalid_x", "message": "No."},
    )
    assert validation_body(ValidationError("No."))[1]["code"] == "invalid"


class _Form(forms.Form):
    note = forms.CharField(required=False)
    expires_on = forms.DateField(required=False)


def test_the_form_mapper_puts_errors_next_to_their_field_else_on_top():
    form = _Form(data={})
    assert form.is_valid()
    add_action_errors(form, CodedError(ReferralErrorCode.NOTE_REQUIRED, "Note.", field="note"))
    add_action_errors(
        form,
        CodedError(ConsentErrorCode.EXPIRY_REQUIRED, "End.", field="expires_at"),
        rename={"expires_at": "expires_on"},
    )
    add_action_errors(form, CodedError(ReferralErrorCode.CONFLICT, "Changed.", status=409))
    add_action_errors(form, CodedError(ReferralErrorCode.EMAIL_INVALID, "Mail.", field="email"))
    assert form.errors["note"] == ["Note."] and form.errors["expires_on"] == ["End."]
    assert form.non_field_errors() == ["Changed.", "Mail."]


def test_every_app_with_coded_errors_declares_them():
    names = {c.__name__ for c in all_error_codes()}
    assert {"CommonErrorCode", "ReferralErrorCode", "ConsentErrorCode", "PersonErrorCode"} <= names


def test_no_action_or_endpoint_builds_a_coded_error_by_hand():
    """Codes come from an ErrorCode choices class, raised through CodedError: no bare strings."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    bare = re.compile(r"ValidationError\([^)]*code=\"|ApiError\(|\b_err(or)?\(")
    offenders = [
        f"{path.relative_to(root)}:{n}"
        for pattern in ("*/actions.py", "*/api.py", "*/queries.py")
        for path in sorted(root.glob(pattern))
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if bare.search(line)
    ]
    assert offenders == []
