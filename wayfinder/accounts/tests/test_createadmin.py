"""`manage.py createadmin` bootstraps the first network administrator of a new installation."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from wayfinder.accounts.models import Agency, Membership, Role


def run(*args):
    out = StringIO()
    call_command("createadmin", *args, stdout=out)
    return out.getvalue()


def test_first_admin_and_agency(db, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out = run("--email", "Boss@Example.org", "--agency", "Harbor Light", "--print-link")
    m = Membership.objects.get(user__email="boss@example.org")
    assert m.role == Role.NETWORK_ADMIN and m.agency.name == "Harbor Light"
    assert m.agency.kind == "lead"
    assert not m.user.has_usable_password()
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in out


def test_existing_agency_is_reused(personas):
    run("--email", "second@example.org", "--agency", "harbor light alliance")
    assert Agency.objects.filter(name__iexact="harbor light alliance").count() == 1
    assert Membership.objects.get(user__email="second@example.org").agency == personas.lead


def test_twice_is_a_clear_error(personas):
    with pytest.raises(CommandError, match="already has this role"):
        run("--email", "network.admin@example.org", "--agency", "Harbor Light Alliance")
