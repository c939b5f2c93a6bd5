"""Portal accounts through the real actions."""

from __future__ import annotations

from wayfinder.portal.actions import issue_invitation, set_up

PIN = "480715"


def invite(personas, person=None):
    """(invitation, raw code), issued by ``navigator_a``."""
    return issue_invitation(person or personas.survivor, actor=personas.actor(personas.navigator_a))


def account(personas, pin=PIN, person=None, language="en"):
    """A set-up portal account with a PIN, in English unless said: (account, recovery codes)."""
    invitation, _raw = invite(personas, person)
    acc, codes = set_up(invitation, kind="pin", secret=pin, again=pin, ip="127.0.0.1")
    acc.language = language
    acc.save(update_fields=["language"])
    return acc, codes


def sign_in(client, acc, pin=PIN):
    """Sign ``client`` in to the portal (the real form) and return it."""
    r = client.post("/my/", {"door": acc.door, "secret": pin})
    assert r.status_code == 302, r.status_code
    return client


def sign_in_page(page, door: str, pin=PIN) -> None:
    """Sign in at the portal's door in a browser, as the person does (Enter in the PIN box)."""
    page.goto("/my/")
    page.fill("input[name=door]", door)
    page.fill("input[name=secret]", pin)
    page.locator("input[name=secret]").press("Enter")
    page.wait_for_url("**/my/home/")
