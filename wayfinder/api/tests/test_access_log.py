"""No name reaches an access log: the API's name searches, run against a real HTTP server.

A threaded WSGI server (Django's live-server thread) writes every request in the Combined Log
Format that gunicorn, nginx and proxies use (request line with its query string, Referer,
User-Agent) to a file, and the application's own log records go to the same file. Every demo
survivor is taken in, searched for by each of their names and by record code, read, changed and
listed through the API, as the API tests do. The file is then scanned for every name token of the
demo's survivors and of the test personas (accents folded, URL escapes decoded): 0 hits.
"""

from __future__ import annotations

import http.client
import json
import logging
import re
import time
import unicodedata
from urllib.parse import unquote_plus, urlencode, urlsplit

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from django.db import connections
from django.test.testcases import LiveServerThread

from wayfinder.people.demo import SURVIVORS

pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")


class AccessLogHandler(WSGIRequestHandler):
    """Writes each request as one Combined Log Format line to ``log_path``."""

    log_path = None

    def log_message(self, format, *args):
        headers = self.headers or {}
        referer, agent = headers.get("Referer", "-"), headers.get("User-Agent", "-")
        request = format % args
        line = f'{self.client_address[0]} - - [{self.log_date_time_string()}] {request} "{referer}" "{agent}"\n'
        with open(self.log_path, "a", encoding="utf-8") as log:
            log.write(line)


class LoggingServerThread(LiveServerThread):
    def _create_server(self, connections_override=None):
        return self.server_class(
            (self.host, self.port),
            AccessLogHandler,
            allow_reuse_address=False,
            connections_override=connections_override,
        )


@pytest.fixture
def logged_server(tmp_path, settings):
    """(base url, log file): a real server whose access and application logs go to the file."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler

    log_path = tmp_path / "access.log"
    log_path.touch()
    AccessLogHandler.log_path = log_path
    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    thread = LoggingServerThread(
        "127.0.0.1", StaticFilesHandler, connections_override=shared, port=0
    )
    thread.daemon = True
    for conn in shared.values():
        conn.inc_thread_sharing()
    app_log = logging.FileHandler(log_path, encoding="utf-8")
    app_log.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(app_log)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield f"http://127.0.0.1:{thread.port}", log_path
    finally:
        thread.terminate()
        root.removeHandler(app_log)
        app_log.close()
        for conn in shared.values():
            conn.dec_thread_sharing()


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_tokens(personas) -> set[str]:
    """Every word (3 letters or more) of every name a demo or test survivor or persona has."""
    names = [s[0] for s in SURVIVORS] + [s[1] for s in SURVIVORS]
    names += ["Ana Rivera", "Ana María Rivera López"]  # the personas' survivor
    names += [
        u.display_name
        for u in (personas.navigator_a, personas.lawyer_b, personas.outsider_c, personas.admin_a)
    ]
    return {_fold(t) for n in names for t in re.findall(r"\w+", n) if len(t) >= 3}


def hits(log_path, tokens: set[str]) -> list[tuple[str, str]]:
    found = []
    for line in log_path.read_text(encoding="utf-8").splitlines():
        folded = _fold(unquote_plus(line))
        found += [(t, line) for t in tokens if re.search(rf"\b{re.escape(t)}\b", folded)]
    return found


class Api:
    def __init__(self, base: str, token: str, log_path):
        self.base, self.token, self.log_path, self.sent = base, token, log_path, 0

    def logged(self) -> list[str]:
        """The access log's lines, once the server has written one for every request sent (it
        writes after the response, so the last line can lag a moment behind)."""
        for _attempt in range(100):
            lines = [
                line
                for line in self.log_path.read_text(encoding="utf-8").splitlines()
                if '"wayfinder-test-client"' in line
            ]
            if len(lines) >= self.sent:
                return lines
            time.sleep(0.05)
        raise AssertionError(f"{self.sent} requests sent, {len(lines)} logged")

    def __call__(self, method: str, path: str, body=None, *, expect=None):
        self.sent += 1
        data = None if body is None else json.dumps(body).encode()
        connection = http.client.HTTPConnection(urlsplit(self.base).netloc, timeout=30)
        try:
            connection.request(
                method,
                path,
                body=data,
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Content-Type": "application/json",
                    "User-Agent": "wayfinder-test-client",
                },
            )
            response = connection.getresponse()
            status, payload = response.status, json.loads(response.read() or b"null")
        finally:
            connection.close()
        if expect is not None:
            assert status == expect, (method, path, status, payload)
        return payload


def test_the_api_name_searches_leave_no_name_in_the_access_log(
    personas, issue_token, logged_server
):
    base, log_path = logged_server
    api = Api(base, issue_token(personas.navigator_a), log_path)

    # Take in every demo survivor through the API: names travel in bodies only.
    created = []
    for chosen, legal, dob, langs, *_rest in SURVIVORS:
        body = {
            "chosen_name": chosen,
            "legal_name": legal,
            "date_of_birth": dob.isoformat(),
            "preferred_languages": langs,
            "confirm_not_duplicate": True,
        }
        created.append(api("POST", "/api/v1/persons/", body, expect=201))
    # The searches the API tests make, and one per name of every survivor, and by record code.
    searches = ["rivera ANA", "Nobody", "Ana Rivera", "rivera", personas.survivor.pseudonym]
    for chosen, legal, *_rest in SURVIVORS:
        searches += [chosen, legal, *legal.split()]
    for person in created:
        searches.append(person["pseudonym"].lower())
    for text in searches:
        result = api("POST", "/api/v1/persons/search", {"search": text}, expect=200)
        assert text == "Nobody" or result["total"] >= 1, text
    # Reads, paging and changes: ids and pseudonyms in the addresses, never names.
    for person in created:
        api("GET", f"/api/v1/persons/{person['id']}", expect=200)
        api("PATCH", f"/api/v1/persons/{person['id']}", {"aliases": ["Lu"]}, expect=200)
    api("GET", "/api/v1/persons/?" + urlencode({"page": 2, "per_page": 5}), expect=200)
    api("POST", "/api/v1/persons/", {"chosen_name": SURVIVORS[0][0]}, expect=409)

    tokens = name_tokens(personas)
    assert {"lucia", "rivera", "quispe", "nguyen"} <= tokens
    lines = api.logged()
    assert sum('"POST /api/v1/persons/search HTTP' in line for line in lines) == len(searches)
    assert hits(log_path, tokens) == []
    everything = log_path.read_text(encoding="utf-8")
    assert "WARNING django.request Conflict" in everything  # the app's own log is scanned too

    # The scan can fail: the refused GET puts the name where every log would keep it.
    api("GET", "/api/v1/persons/?search=Quispe", expect=400)
    api.logged()
    assert [t for t, _line in hits(log_path, tokens)] == ["quispe"]
