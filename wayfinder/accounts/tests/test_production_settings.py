"""Production settings pass `manage.py check --deploy` with no warning at all; dev still runs on http."""

import base64
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def run(args, env, tmp_path):
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "WAYFINDER_VAR_DIR": str(tmp_path),
        **env,
    }
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def production_env():
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "WAYFINDER_KEK": "k1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "WAYFINDER_BLIND_INDEX_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "wayfinder.example.org",
        "WAYFINDER_SECURE": "1",
        "WAYFINDER_AUDIT_SIGNING_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
    }


def test_check_deploy_is_clean(tmp_path, production_env):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "DEBUG"], production_env, tmp_path
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output, output


def test_check_deploy_complains_when_mfa_is_not_required(tmp_path, production_env):
    """Not a test that cannot fail: the same command does report a weaker set-up."""
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        {**production_env, "WAYFINDER_REQUIRE_MFA": "0"},
        tmp_path,
    )
    assert result.returncode != 0
    assert "wayfinder.W001" in result.stderr + result.stdout


PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({k: getattr(s, k) for k in ("
    "'DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', "
    "'SECURE_HSTS_SECONDS', 'SESSION_COOKIE_AGE', 'WAYFINDER_REQUIRE_MFA', "
    "'SILENCED_SYSTEM_CHECKS')}))"
)


def test_production_values(tmp_path, production_env):
    result = run(["-c", PRINT_SETTINGS], production_env, tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SESSION_COOKIE_AGE"] == 1800
    assert values["WAYFINDER_REQUIRE_MFA"] is True
    assert values["SILENCED_SYSTEM_CHECKS"] == []


def test_dev_runs_over_plain_http(tmp_path):
    result = run(["-c", PRINT_SETTINGS], {"DEBUG": "1"}, tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is True
    assert not values["SESSION_COOKIE_SECURE"] and not values["CSRF_COOKIE_SECURE"]
    assert not values["SECURE_SSL_REDIRECT"] and values["SECURE_HSTS_SECONDS"] == 0


def test_idle_timeout_comes_from_the_environment(tmp_path):
    result = run(
        ["-c", PRINT_SETTINGS], {"DEBUG": "1", "WAYFINDER_IDLE_TIMEOUT_SECONDS": "900"}, tmp_path
    )
    assert json.loads(result.stdout)["SESSION_COOKIE_AGE"] == 900


def test_production_refuses_to_start_without_a_secret_key(tmp_path, production_env):
    env = {k: v for k, v in production_env.items() if k != "SECRET_KEY"}
    result = run(["manage.py", "check"], env, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


HEADERS_SCRIPT = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="wayfinder.example.org")
out = {}
for path in ("/no-such-page/", "/healthz"):
    r = client.get(path, secure=True)
    out[path] = {"status": r.status_code, **{k: r.headers.get(k) for k in (
        "Content-Security-Policy", "Permissions-Policy", "Referrer-Policy", "Server")}}
print(json.dumps(out))
"""


def test_security_headers_under_production_settings(tmp_path, production_env):
    """CSP (no inline script, no eval), Permissions-Policy and Referrer-Policy, DEBUG off."""
    env = {**production_env, "WAYFINDER_MANIFEST_STATIC": "false"}  # no collectstatic here
    result = run(["-c", HEADERS_SCRIPT], env, tmp_path)
    assert result.returncode == 0, result.stderr
    for path, headers in json.loads(result.stdout.strip().splitlines()[-1]).items():
        csp = {d.split()[0]: d.split()[1:] for d in headers["Content-Security-Policy"].split("; ")}
        assert csp["default-src"] == ["'self'"], path
        assert csp["script-src"] == ["'self'"], path  # no 'unsafe-inline', no 'unsafe-eval'
        assert csp["style-src"] == ["'self'"], path
        assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
        policy = headers["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
            assert feature in policy, path
        assert headers["Referrer-Policy"] == "same-origin", path


DATABASES_SCRIPT = """
import json, sys
sys.argv = ["manage.py"] + sys.argv[1:]
from django.conf import settings
print(json.dumps({k: [v["CONN_MAX_AGE"], v.get("OPTIONS", {})] for k, v in settings.DATABASES.items()}))
"""


def postgres_settings(tmp_path, env, argv=()):
    """The settings process for a PostgreSQL ``DATABASE_URL`` under ``argv`` (``manage.py``'s)."""
    pg = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/wf_unused"}
    return run(["-c", DATABASES_SCRIPT, *argv], {**pg, **env}, tmp_path)


def databases(result, field: int) -> dict:
    """Each alias's CONN_MAX_AGE (``field`` 0) or OPTIONS (1), as the settings printed them."""
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout.strip().splitlines()[-1])
    return {alias: values[field] for alias, values in printed.items()}


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (["runserver"], {"DEBUG": "1"}, 0),
        (["runserver"], {"DEBUG": "1", "DB_CONN_MAX_AGE": "60"}, 0),  # never under runserver
        (["db_worker"], {"DEBUG": "1"}, 0),
        (["db_worker"], {"DEBUG": "1", "DB_CONN_MAX_AGE": "30"}, 30),
        ([], {}, 60),  # production (gunicorn)
    ],
)
def test_connection_age_does_not_exhaust_postgres_under_the_dev_server(
    tmp_path, production_env, argv, env, expected
):
    ages = databases(postgres_settings(tmp_path, {**production_env, **env}, argv), 0)
    assert ages == {"default": expected, "keystore": expected}


PREPARED = {"server_side_binding": True, "prepare_threshold": 5}


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        ([], {}, PREPARED),  # production (gunicorn): kept connections prepare what they repeat
        ([], {"DB_PREPARE_THRESHOLD": "2"}, {**PREPARED, "prepare_threshold": 2}),
        ([], {"DB_PREPARE_THRESHOLD": "off"}, {}),  # PgBouncer without prepared statements
        ([], {"DB_CONN_MAX_AGE": "0"}, {}),  # a connection per request: nothing to reuse
        (["runserver"], {"DEBUG": "1"}, {}),
    ],
)
def test_postgresql_prepares_statements_only_on_kept_connections(
    tmp_path, production_env, argv, env, expected
):
    options = databases(postgres_settings(tmp_path, {**production_env, **env}, argv), 1)
    assert options == {"default": expected, "keystore": expected}


@pytest.mark.parametrize("value", ["-1", "soon"])
def test_a_bad_prepare_threshold_stops_the_start(tmp_path, production_env, value):
    result = postgres_settings(tmp_path, {**production_env, "DB_PREPARE_THRESHOLD": value})
    assert result.returncode != 0
    assert "DB_PREPARE_THRESHOLD" in result.stderr
