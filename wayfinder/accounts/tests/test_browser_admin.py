"""In a real browser, with axe-core on every page: an agency admin signs in with two-step sign-in,
invites a staff member and removes another's role; a network admin sets up two-step sign-in on
first sign-in, sees their recovery codes and manages agencies."""

import re

import pytest
from django.core import mail
from django.core.management import call_command

from conftest import assert_accessible
from wayfinder.accounts.models import Membership, User
from wayfinder.accounts.tests.conftest import give_totp, totp_code
from wayfinder.core.testing import PASSWORD, make_personas


@pytest.fixture
def network(clean_cache, settings):
    call_command("createcachetable", verbosity=0)
    settings.WAYFINDER_REQUIRE_MFA = True
    personas = make_personas()
    return personas, give_totp(personas.admin_a)


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_agency_admin_invites_and_removes_staff(page, network):
    personas, secret = network

    page.goto("/accounts/login/")
    assert_accessible(page)
    sign_in(page, personas.admin_a.email)
    page.wait_for_selector("h1:text-is('Two-step sign-in')")
    assert_accessible(page)
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff").click()
    page.wait_for_selector("h1:text-is('Staff of Harbor Light Alliance')")
    assert_accessible(page)

    page.get_by_role("link", name="Invite a staff member").click()
    page.wait_for_selector("h1:text-is('Invite a staff member')")
    assert_accessible(page)
    page.get_by_label("Work e-mail address").fill("new.navigator@example.org")
    page.get_by_label("Name").fill("Nia Newcomer")
    page.get_by_label("Role").select_option("supervisor")
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_selector("text=Invitation sent. The new role is active.")
    row = page.locator("tr", has_text="new.navigator@example.org")
    assert "Invitation pending" in row.inner_text() and "Supervisor" in row.inner_text()
    assert_accessible(page)
    invitation, notice = mail.outbox  # the invitation, and the admins' notice of the grant
    assert invitation.to == ["new.navigator@example.org"]
    assert "Ana" not in invitation.body and personas.survivor.pseudonym not in invitation.body
    assert notice.to == [personas.admin_a.email] and "Nia" not in notice.body
    assert "Recent role grants" in page.content()

    # A role for themself needs a second admin; this agency has none, and the page says so.
    page.get_by_role("link", name="Invite a staff member").click()
    page.get_by_label("Work e-mail address").fill(personas.admin_a.email)
    page.get_by_label("Role").select_option("navigator")
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_selector("text=this agency has no other administrator")
    assert_accessible(page)
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_selector("h1:text-is('Staff of Harbor Light Alliance')")

    page.get_by_role(
        "link", name="Remove role Analyst (de-identified data only) from Ann Analyst"
    ).click()
    page.wait_for_selector("h1:text-is('Remove a role')")
    assert_accessible(page)
    page.get_by_role("button", name="Remove role").click()
    page.wait_for_selector("text=The role was removed.")
    assert "Removed" in page.locator("tr", has_text="analyst@example.org").inner_text()
    assert not Membership.objects.get(user=personas.analyst).is_active
    assert (
        User.objects.get(email="new.navigator@example.org").memberships.get().role == "supervisor"
    )


def test_network_admin_sets_up_two_step_sign_in_then_manages_agencies(page, network):
    personas, _secret = network

    sign_in(page, personas.network_admin.email)
    page.wait_for_selector("h1:text-is('Set up two-step sign-in')")
    assert_accessible(page)
    key = page.get_by_label("Key to type in instead of scanning").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(key))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    page.wait_for_selector("h1:text-is('Recovery codes')")
    assert page.locator("ul.recovery-codes li").count() == 10
    assert_accessible(page)
    page.get_by_role("link", name="I have saved my codes — continue").click()
    page.wait_for_url(re.compile(r"/$"))

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Agencies").click()
    page.wait_for_selector("h1:text-is('Agencies in the network')")
    assert_accessible(page)
    page.get_by_role("link", name="Add an agency").click()
    page.wait_for_selector("h1:text-is('Add an agency')")
    assert_accessible(page)
    page.get_by_label("Name").fill("Lakeside Community Health")
    page.get_by_label("Kind of agency").select_option("health")
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("text=Agency added.")
    assert "Health care" in page.locator("tr", has_text="Lakeside Community Health").inner_text()
    assert_accessible(page)


@pytest.mark.browser
def test_a_second_admin_approves_a_self_grant(page, network):
    from wayfinder.accounts.actions import request_role
    from wayfinder.accounts.models import Role
    from wayfinder.core.testing import staff

    personas, _secret = network
    second = staff(personas.lead, "admin.two@example.org", Role.AGENCY_ADMIN, "Bo Second")
    second_secret = give_totp(second)
    request_role(actor=personas.actor(personas.admin_a), agency=personas.lead, role="supervisor")

    sign_in(page, second.email)
    page.wait_for_selector("h1:text-is('Two-step sign-in')")
    page.get_by_label("Code").fill(totp_code(second_secret))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff").click()
    page.wait_for_selector("h2:text-is('Roles waiting for approval')")
    assert_accessible(page)
    page.get_by_role("button", name="Approve role Supervisor for Ada Admin").click()
    page.wait_for_selector("text=The role was approved. It is active now.")
    assert "Bo Second approved the role Supervisor for Ada Admin." in page.content()
    assert_accessible(page)
    assert Membership.objects.get(user=personas.admin_a, role="supervisor").is_active
