"""Every link a demo user meets leads somewhere.

Starting from the home page (and, for the survivor, from the portal's), each demo log-in follows
every link of this site on the pages it reaches (``href``, and the ``hx-get`` of a fragment), the
way a person clicking through would, and every one must answer: 200, or a redirect to a page that
does. A link to a page that then says "Page not found" is a dead end for the person who follows
it: a partner shown a button the gate will refuse, a link that only the owning agency may open.

Each user follows each kind of page (URL name) up to ``PER_VIEW`` times, so the crawl covers the
whole site without walking every person of the demo; a test of one page's links lives beside that
page. Actions (forms that POST) are not links and are not followed.
"""

from __future__ import annotations

import html
import re
import uuid
from collections import Counter, deque
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from wayfinder.core.demo import load_demo

PER_VIEW = 2  # pages of one kind followed per user
LINK = re.compile(r'\s(?:href|hx-get)="([^"]*)"')
# Not pages of the site: files, the language and sign-out actions, the quick exit, the admin
# (its own app, tested by Django), and the API's interactive documentation.
SKIP = ("/static/", "/i18n/", "/accounts/logout/", "/quick-exit", "/admin/", "/api/docs")


def links(body: str) -> list[str]:
    """This site's paths linked from ``body`` (fragments and other sites left out)."""
    found = []
    for raw in LINK.findall(body):
        href = html.unescape(raw).split("#", 1)[0]
        parts = urlsplit(href)
        if not href.startswith("/") or href.startswith("//") or parts.netloc:
            continue
        if parts.path.startswith(SKIP):
            continue
        found.append(href)
    return found


def crawl(client: Client, start: str) -> tuple[int, list[tuple[str, str, int]]]:
    """(pages read, dead links as (found on, link, status)) from ``start``."""
    queue: deque[tuple[str, str]] = deque([("", start)])
    seen = {start}
    per_view: Counter[str] = Counter()
    dead: list[tuple[str, str, int]] = []
    pages = 0
    while queue:
        found_on, path = queue.popleft()
        try:
            view = resolve(urlsplit(path).path).view_name
        except Resolver404:
            dead.append((found_on, path, 404))
            continue
        if per_view[view] >= PER_VIEW:
            continue
        per_view[view] += 1
        response = client.get(path, follow=True)
        pages += 1
        if response.status_code != 200:
            dead.append((found_on, path, response.status_code))
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue  # a download: it answered, and holds no links to follow
        for link in links(response.content.decode()):
            if link not in seen:
                seen.add(link)
                queue.append((path, link))
    return pages, dead


@pytest.fixture
def demo(db, settings):
    settings.WAYFINDER_REQUIRE_MFA = False  # as in the demo
    return load_demo()


def test_the_link_finder_reads_links_and_fragments():
    body = (
        '<a href="/people/">x</a> <a href="#main">skip</a> <a href="https://example.org/">o</a>'
        ' <div hx-get="/referrals/received/new/?after=a&amp;b=1"></div>'
        ' <a href="/static/x.css">s</a> <a href="//evil.example/">e</a>'
        ' <a href="/people/1/#consent">c</a>'
    )
    assert links(body) == ["/people/", "/referrals/received/new/?after=a&b=1", "/people/1/"]


def test_a_dead_link_is_reported(personas, settings):
    """The crawl itself: a link to a page that answers 404 is reported, with where it was found;
    so is one to a path this site does not have."""
    settings.WAYFINDER_REQUIRE_MFA = False
    client = Client()
    client.force_login(personas.navigator_a)
    gone = f"/people/{uuid.uuid4()}/"
    pages, dead = crawl(client, gone)
    assert pages == 1 and dead == [("", gone, 404)]
    pages, dead = crawl(client, "/no-such-page/")
    assert pages == 0 and dead == [("", "/no-such-page/", 404)]


def test_every_link_a_demo_user_meets_answers(demo) -> None:
    from wayfinder.portal.demo import DEMO_DOOR, DEMO_PIN

    dead: dict[str, list] = {}
    read = 0
    for key, user in [("anonymous", None), *demo.users.items()]:
        client = Client()
        if user is not None:
            client.force_login(user)
        pages, found = crawl(client, "/")
        read += pages
        if found:
            dead[key] = found
    survivor = Client()
    signed_in = survivor.post("/my/", {"door": DEMO_DOOR, "secret": DEMO_PIN})
    assert signed_in.status_code == 302
    pages, found = crawl(survivor, "/my/home/")
    assert pages >= 6, pages  # the portal's pages, signed in all the way
    read += pages
    if found:
        dead["survivor (portal)"] = found
    assert read > 300, read  # the crawl reached the site, not just the home pages
    assert not dead, "Links that lead nowhere:\n" + "\n".join(
        f"  {who}: on {on or 'start'} -> {link} ({status})"
        for who, found in dead.items()
        for on, link, status in found
    )
