"""Every route the project serves has a rule, and a portal session reaches no staff route.

The rule table says, for each first path segment, whether a route is the portal's ("portal"),
open to anyone ("public") or staff only ("staff"). A route under a segment that is not in the
table fails ``test_every_route_has_a_rule``: whoever adds a new app or URL prefix must decide,
here, who may reach it. Every staff route is then requested by a signed-in portal session (GET
and POST) and must answer 404 or send the person to the portal sign-in.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from wayfinder.core.testing import ApiClient
from wayfinder.portal.actions import create_token
from wayfinder.portal.tests.factories import account, sign_in

RULES = {
    "my": "portal",
    "exit": "public",
    "i18n": "public",
    "jsi18n": "public",
    "healthz": "public",
    "f": "public",  # wayfinder.feedback's anonymous survey (cards, portal, hand-over)
    "feedback": "staff",  # wayfinder.feedback's results and cards pages
    "static": "public",
    "bench": "staff",  # make bench only
    "": "staff",  # the dashboard
    "accounts": "staff",
    "api": "staff",
    "assessments": "staff",
    "conferences": "staff",
    "consent": "staff",
    "directory": "staff",
    "hsds": "staff",
    "matching": "staff",
    "people": "staff",
    "plans": "staff",
    "portal": "staff",  # the navigator's side: issuing invitations
    "referrals": "staff",
    "settings": "staff",
    "help": "public",  # wayfinder.prevention's public help page
    "h": "public",  # its campaign short links
    "training": "public",  # its public training registration
    "prevention": "staff",
    "reports": "staff",
    "services": "staff",  # wayfinder.delivery
}

SAMPLE_ID = str(uuid.uuid4())


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + _text(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + _text(p.pattern), p.name or ""


def _text(pattern) -> str:
    text = str(pattern)
    if hasattr(pattern, "regex") and text.startswith("^"):
        text = re.sub(r"\(\?P<\w+>[^)]*\)", "x", text).lstrip("^").rstrip("$")
    return text


def _url(route: str) -> str:
    def sample(match):
        converter = match.group(1) or "str"
        return SAMPLE_ID if "uuid" in converter else ("1" if converter == "int" else "x")

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", sample, route)


ROUTES = sorted(set(_walk(get_resolver().url_patterns)))


def rule(route: str) -> str | None:
    return RULES.get(route.split("/", 1)[0].lstrip("^"))


def test_every_route_has_a_rule():
    missing = [r for r, _n in ROUTES if rule(r) is None]
    assert not missing, "Routes without a rule in portal/tests/test_routes.py RULES:\n" + "\n".join(
        missing
    )


def test_an_unknown_route_fails_the_rule_check():
    assert rule("newapp/page/") is None  # what a new app's prefix looks like until it is added
    assert rule("my/anything/") == "portal"


def test_routes_are_many():
    # The walk reaches into includes (people, API routers, allauth): not a vacuous list.
    assert len([r for r, _n in ROUTES if rule(r) == "staff"]) > 150


STAFF = [(r, n) for r, n in ROUTES if rule(r) == "staff"]


@pytest.fixture
def portal_client(personas):
    acc, _codes = account(personas)
    return sign_in(Client(), acc)


@pytest.mark.django_db
def test_a_portal_session_still_reaches_the_public_help_page(portal_client):
    """Signed in to their door, a person may still need the hotline and help near them."""
    page = portal_client.get("/help/")
    assert page.status_code == 200 and b"1-888-373-7888" in page.content


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), STAFF, ids=[f"{n or r}" for r, n in STAFF])
def test_a_portal_session_reaches_no_staff_route(portal_client, route, name):
    url = _url(route)
    for method in ("get", "post"):
        r = getattr(portal_client, method)(url)
        assert r.status_code == 404 or (
            r.status_code == 302 and r["Location"].startswith("/my/")
        ), f"{method.upper()} {url} ({name}) answered {r.status_code} to a portal session"
    # And the session is still a portal session afterwards (nothing swapped it for staff).
    assert portal_client.get("/my/home/").status_code == 200


API = [(r, n) for r, n in STAFF if r.startswith("api/v1/")]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), API, ids=[n for _r, n in API])
def test_a_portal_token_calls_no_staff_api_route(personas, route, name):
    acc, _codes = account(personas)
    client = ApiClient(create_token(acc, ip=None))
    url = _url(route)
    answers = {
        client.get(url).status_code,
        client.post(url, {}).status_code,
        client.patch(url, {}).status_code,
        client.delete(url).status_code,
    }
    assert 401 in answers and answers <= {401, 405}, f"{url}: {answers}"


@pytest.mark.django_db
def test_a_staff_token_calls_no_portal_api_route(personas, issue_token):
    acc, _codes = account(personas)
    staff = ApiClient(issue_token(personas.navigator_a))
    mine = ApiClient(create_token(acc, ip=None))
    assert mine.get("/my/api/v1/sharing").status_code == 200
    assert staff.get("/my/api/v1/sharing").status_code == 401
    assert staff.post(f"/my/api/v1/sharing/{SAMPLE_ID}/withdraw").status_code == 401


PORTAL_PAGES = [(r, n) for r, n in ROUTES if rule(r) == "portal" and not r.startswith("my/api/")]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), PORTAL_PAGES, ids=[n for _r, n in PORTAL_PAGES])
def test_a_staff_session_gets_no_portal_data(personas, web, route, name):
    """A staff user on a portal page is just someone not signed in to the portal."""
    c = web(personas.navigator_a)
    r = c.get(_url(route))
    assert r.status_code in {200, 302, 404, 405}
    if r.status_code == 200:
        assert name in {"signin", "start", "recover"}, f"{route} showed a page to staff"
