"""Project-wide test fixtures: keystore access, personas, sign-in, API clients, PostgreSQL and
browser availability. Under pytest-xdist (``make test`` in CI runs ``-n 2``) every worker has its
own test databases (pytest-django suffixes their names with the worker id) and its own Chromium."""

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

# Hypothesis tests that write to the database: ``@settings(settings.get_profile("db"), ...)``.
# No "explain" phase: it traces every line Django runs, and takes minutes to report a failure.
# Each example's rows live in the test's transaction, so function-scoped fixtures are fine.
settings.register_profile(
    "db",
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# Official FHIR examples the interop tests check against (vendored; see its README.md).
FHIR_EXAMPLES = Path(__file__).resolve().parent / "tests" / "data" / "fhir"

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# WAYFINDER_CHROMIUM, when set, is the only Chromium tried (=/nonexistent hides it); otherwise
# Debian's /usr/bin/chromium, else a chromium on PATH.
CHROMIUM = os.environ.get("WAYFINDER_CHROMIUM") or (
    "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else shutil.which("chromium") or ""
)
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


# Fixtures that drive Chromium: a test using any of them is a browser test (marked ``browser``).
BROWSER_FIXTURES = {"page", "browser"}

# Apps whose page tests sign in with one step (``force_login``): two-step sign-in has its own
# tests (the accounts app, and the people app's browser journey). Browser tests choose for themselves.
ONE_STEP_SIGN_IN_APPS = {"consent", "directory", "matching", "people", "plans", "referrals"}


@pytest.hookimpl(tryfirst=True)  # before ``-m "not browser"`` deselects by mark
def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
            # Under ``--dist loadgroup`` all browser tests share one worker, so one Chromium.
            item.add_marker(pytest.mark.xdist_group("browser"))
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
    # Registered by pytest-xdist too; here so that --strict-markers holds without it.
    config.addinivalue_line("markers", "xdist_group(name): run these tests on one xdist worker")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's, then every connection closed before the test databases are dropped.
    The read replica's alias (``config/settings_test.py``, PostgreSQL) mirrors the test
    database through a connection of its own, which was left open: dropping the database then
    failed with "being accessed by other users" at the end of every PostgreSQL run."""
    yield
    from django.db import connections

    connections.close_all()


@pytest.fixture
def personas(db):
    from wayfinder.core.testing import make_personas

    return make_personas()


# --- signing in and API clients -----------------------------------------------------------------


@pytest.fixture
def mfa_off(settings):
    """Sign in with one step: two-step sign-in has its own tests (accounts, people browser journey)."""
    settings.WAYFINDER_REQUIRE_MFA = False


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language. Django's LocaleMiddleware activates a request's
    language in the thread and never resets it, so one test's Spanish page would otherwise leak
    into the next test's plain function calls on the same worker."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _one_step_sign_in(request):
    """Page tests in ``ONE_STEP_SIGN_IN_APPS`` run with ``mfa_off``; browser tests decide for themselves."""
    parts = request.node.path.relative_to(request.config.rootpath).parts
    app = parts[1] if len(parts) > 2 and parts[0] == "wayfinder" else None
    if app in ONE_STEP_SIGN_IN_APPS and request.node.get_closest_marker("browser") is None:
        request.getfixturevalue("mfa_off")


@pytest.fixture
def login(client):
    """``login(user)`` signs ``user`` in on the test client (``force_login``) and returns it."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def web(personas, mfa_off):
    """``web(user)`` → a new signed-in client for that user (one step), for tests with several users."""
    from django.test import Client

    def make(user):
        c = Client()
        c.force_login(user)
        return c

    return make


@pytest.fixture
def issue_token(personas):
    """``issue_token(user, agency=None, **kw)`` → the raw token (the user's first agency)."""
    from wayfinder.accounts.actions import create_api_token

    def issue(user, agency=None, **kw):
        actor = personas.actor(user, agency)
        _token, raw = create_api_token(
            actor=actor, agency=agency or actor.agency, name=kw.pop("name", "test"), **kw
        )
        return raw

    return issue


@pytest.fixture
def api_as(issue_token):
    """``api_as(user, agency=None)`` → an ApiClient holding a fresh token of that user."""
    from wayfinder.core.testing import ApiClient

    def make(user, agency=None):
        return ApiClient(issue_token(user, agency))

    return make


# --- shared records -----------------------------------------------------------------------------


@pytest.fixture
def nav(personas):
    """The lead agency's navigator (``navigator_a``, who took the survivor in) as an Actor."""
    return personas.actor(personas.navigator_a)


@pytest.fixture
def lawyer_on_team(personas):
    """``lawyer_b`` (Justice Bridge Legal Aid) has a place on the survivor's care team."""
    from wayfinder.consent.tests.factories import on_team

    return on_team(personas, personas.lawyer_b, personas.legal)


@pytest.fixture
def share_with_lawyer(personas):
    """``share_with_lawyer(categories)``: the real path by which a partner comes to see a record.

    ``lawyer_b`` joins the survivor's care team and the survivor consents (typed e-signature,
    care coordination, 90 days) to Justice Bridge Legal Aid seeing ``categories``.
    """
    from wayfinder.consent.tests.factories import consent, on_team

    def share(categories):
        on_team(personas, personas.lawyer_b, personas.legal)
        return consent(personas, personas.legal, categories)

    return share


@pytest.fixture
def postgres_only(db):
    """For behaviour that only PostgreSQL can show (row locks under real concurrency)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        unavailable("needs PostgreSQL (set DATABASE_URL=postgres://...; CI runs the suite on both)")


# --- browser (Playwright driving Debian's Chromium) ------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not (CHROMIUM and os.path.exists(CHROMIUM)):
        where = CHROMIUM or "/usr/bin/chromium or on PATH"
        unavailable(
            f"browser test: Chromium not found at {where} (install it or set WAYFINDER_CHROMIUM)"
        )
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
    yield from _checked_page(browser, live_server, settings, locale="en-US")


@pytest.fixture
def phone_es(browser, live_server, settings):
    """As ``page``, in Spanish on a 390-pixel phone: how the issues ask every change be tried."""
    yield from _checked_page(
        browser,
        live_server,
        settings,
        locale="es-ES",
        extra_http_headers={"Accept-Language": "es"},
        viewport={"width": 390, "height": 844},
    )


def _checked_page(browser, live_server, settings, **options):
    """A page in a fresh context; at teardown, no CSP violation and no survivor's name in an
    address may have been seen."""
    settings.WAYFINDER_QUICK_EXIT_URL = live_server.url + "/static/wayfinder/neutral.html"
    context = browser.new_context(base_url=live_server.url, **options)
    context.route("**/*", _only_local(live_server.url))
    # Every page reports Content-Security-Policy violations; one fails the test at teardown.
    seen: list[dict] = []
    context.expose_function("__wayfinderCspViolation", lambda v: seen.append(v))
    context.add_init_script(CSP_LISTENER)
    # Every address the browser asks for, and every Referer it sends: what an access log or a
    # proxy writes down. No survivor's name may be in one (issue 10: names never in URLs).
    addresses: list[str] = []
    context.on(
        "request",
        lambda r: addresses.extend(
            [r.url, *([r.headers["referer"]] if "referer" in r.headers else [])]
        ),
    )
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.csp_violations = seen  # for the test that proves this listener works
    pg.addresses = addresses
    yield pg
    context.close()
    from wayfinder.core.testing import names_in_urls

    leaked = names_in_urls(addresses)
    assert not leaked, "A survivor's name in an address (access logs keep these):\n" + "\n".join(
        f"{token!r} in {url}" for token, url in leaked
    )
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


def sign_in(page, user) -> None:
    """Sign in through the login form, as a person would (Enter in the password box).

    Whoever was signed in on this page before is signed out first (their session cookie dropped),
    so a test can go on as another person."""
    from django.conf import settings as django_settings

    from wayfinder.core.testing import PASSWORD

    page.context.clear_cookies(name=django_settings.SESSION_COOKIE_NAME)
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def tab_to(page, text: str, limit: int = 60) -> None:
    """Press Tab, as a keyboard user does, until the focused element reads ``text``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == text:
            return
    pytest.fail(f"Tab never reached «{text}»")


def assert_accessible(page):
    """axe-core: no serious or critical violations on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}]
    assert not bad, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in bad
    )


def assert_no_axe_violations(page):
    """axe-core: no violations of any impact (minor and moderate included) on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = results.response["violations"]
    assert not bad, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in bad
    )
