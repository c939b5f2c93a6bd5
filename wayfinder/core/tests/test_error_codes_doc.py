"""docs/api.md lists every error code, as the code declares them (``manage.py error_codes``)."""

import pytest
from django.core.management import CommandError, call_command

from wayfinder.core.errors import all_error_codes
from wayfinder.core.management.commands import error_codes


def test_the_documented_codes_are_the_codes_in_the_code():
    call_command("error_codes", "--check")  # fails when a code was added, renamed or reworded


def test_the_table_has_every_code_of_every_app():
    table = error_codes.table()
    for choices in all_error_codes():
        for member in choices:
            assert f"| `{member.value}` |" in table, member


def test_an_out_of_date_document_fails_the_check(tmp_path, monkeypatch):
    doc = tmp_path / "api.md"
    doc.write_text(f"# API\n{error_codes.START}\n| stale |\n{error_codes.END}\n")
    monkeypatch.setattr(error_codes, "DOC", doc)
    with pytest.raises(CommandError):
        call_command("error_codes", "--check")
    call_command("error_codes")
    assert "| stale |" not in doc.read_text() and "`possible_duplicate`" in doc.read_text()
    call_command("error_codes", "--check")
