"""Project-wide test fixtures: keystore access, personas, PostgreSQL and browser availability."""

import os
import shutil

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("WAYFINDER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def unavailable(reason: str):
    """Skip on a laptop without the dependency; in CI (CI=true) a missing dependency is a failure."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: tests may not skip for lack of it)", pytrace=False)
    pytest.skip(reason)


def _on_sqlite() -> bool:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


def pytest_collection_modifyitems(config, items):
    # PostgreSQL-only tests are deselected (not skipped) on the SQLite leg: CI runs them in its
    # PostgreSQL leg, where the ``postgres_only`` fixture fails outright if the database is not PostgreSQL.
    if _on_sqlite():
        pg_only = [i for i in items if "postgres_only" in getattr(i, "fixturenames", ())]
        if pg_only:
            config.hook.pytest_deselected(items=pg_only)
            items[:] = [i for i in items if i not in pg_only]
    # Every database test may touch the keystore database (data keys, blind indexes).
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None and {"db", "transactional_db", "live_server"} & set(
            getattr(item, "fixturenames", ())
        ):
            transactional = bool({"transactional_db", "live_server"} & set(item.fixturenames))
            item.add_marker(pytest.mark.django_db(transaction=transactional, databases="__all__"))
            continue
        if marker is not None and "databases" not in marker.kwargs:
            item.add_marker(
                pytest.mark.django_db(*marker.args, databases="__all__", **marker.kwargs),
                append=False,
            )


def _audit_triggers(direction: str) -> None:
    """Run the audit app's append-only trigger SQL ("up" creates, "down" drops) on default:
    the events' triggers and the signed checkpoints' triggers."""
    import importlib

    from django.db import connections

    connection = connections["default"]
    for name in ("0002_append_only_triggers", "0003_auditcheckpoint"):
        migration = importlib.import_module(f"wayfinder.audit.migrations.{name}")
        statements = {
            ("sqlite", "up"): migration.SQLITE_UP,
            ("sqlite", "down"): migration.SQLITE_DOWN,
            ("postgresql", "up"): migration.PG_UP,
            ("postgresql", "down"): migration.PG_DOWN,
        }.get((connection.vendor, direction), [])
        with connection.cursor() as cur:
            for sql in statements:
                cur.execute(sql)


def _flush_past_the_audit_triggers():
    """Transactional tests (live_server, browser) end with a flush of every table, which the
    audit table's append-only triggers refuse: lift them for the flush only, then restore them."""
    from django.test import TransactionTestCase

    original = TransactionTestCase._fixture_teardown
    if getattr(original, "_wf_audit_aware", False):
        return

    def _fixture_teardown(self):
        _audit_triggers("down")
        try:
            original(self)
        finally:
            _audit_triggers("up")

    _fixture_teardown._wf_audit_aware = True
    TransactionTestCase._fixture_teardown = _fixture_teardown


def pytest_configure(config):
    _flush_past_the_audit_triggers()


@pytest.fixture
def personas(db):
    from wayfinder.core.testing import make_personas

    return make_personas()


@pytest.fixture
def postgres_only(db):
    """For behaviour that only PostgreSQL can show (row locks under real concurrency)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        unavailable("needs PostgreSQL (set DATABASE_URL=postgres://...; CI runs the suite on both)")


# --- browser (Playwright driving Debian's Chromium) ------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        unavailable(f"Chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed")
    # Playwright's sync API runs an event loop in this thread; the test's ORM calls are still sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server, settings):
    """A fresh browser context against the live server; external sites are blocked."""
    settings.WAYFINDER_QUICK_EXIT_URL = live_server.url + "/static/wayfinder/neutral.html"
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.route("**/*", _only_local(live_server.url))
    # Every page reports Content-Security-Policy violations; one fails the test at teardown.
    seen: list[dict] = []
    context.expose_function("__wayfinderCspViolation", lambda v: seen.append(v))
    context.add_init_script(CSP_LISTENER)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.csp_violations = seen  # for the test that proves this listener works
    yield pg
    context.close()
    assert not seen, "Content-Security-Policy violations:\n" + "\n".join(
        f"{v['directive']} blocked {v['blocked']} at {v['url']} line {v['line']} ({v['sample']!r})"
        for v in seen
    )


# Records each violation on window (for a test to look at) and reports it to the fixture.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  const v = {directive: e.effectiveDirective, blocked: e.blockedURI, url: e.documentURI,
             sample: e.sample || "", line: e.lineNumber};
  (window.__cspViolations = window.__cspViolations || []).push(v);
  if (window.__wayfinderCspViolation) window.__wayfinderCspViolation(v);
});
"""


def _only_local(base_url):
    def handler(route):
        if route.request.url.startswith(base_url) or route.request.url.startswith("data:"):
            return route.continue_()
        return route.abort()

    return handler


def assert_accessible(page):
    """axe-core: no serious or critical violations on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}]
    assert not bad, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in bad
    )
