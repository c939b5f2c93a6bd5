"""Wayfinder settings: one file, every value from the environment (see .env.example)."""

import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from wayfinder.core.env import env_bool, env_int, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("WAYFINDER_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) is required when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105

ALLOWED_HOSTS = [
    h.strip() for h in env_str("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in env_str("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "wayfinder.core",
    "wayfinder.keystore",
    "wayfinder.accounts",
    "wayfinder.audit",
    "wayfinder.people",
    "wayfinder.api",
    "wayfinder.assessments",
    "wayfinder.directory",
    "wayfinder.matching",
    "wayfinder.consent",
    "wayfinder.referrals",
    "wayfinder.plans",
    "wayfinder.conferences",
    "wayfinder.delivery",
    "wayfinder.reports",
    "wayfinder.feedback",
    "wayfinder.prevention",
    "wayfinder.portal",
    "wayfinder.interop",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "wayfinder.core.middleware.PermissionsPolicyMiddleware",
    "wayfinder.api.middleware.JsonErrorsMiddleware",
    # Before anything reads a parameter: control characters (NUL) never reach the database.
    "wayfinder.api.inputs.BadInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "wayfinder.accounts.middleware.SessionTouchMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The survivor portal: a portal session reaches /my/ and a few public paths, nothing else.
    "wayfinder.portal.middleware.PortalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wayfinder.accounts.middleware.ActorMiddleware",
    "wayfinder.accounts.middleware.RequireMFAMiddleware",
    "wayfinder.core.middleware.NoStoreMiddleware",
    # A partner whose consent ended sees "your access ended on …" instead of a bare 404.
    "wayfinder.consent.middleware.AccessEndedMiddleware",
    # Hand-over mode: while a survivor answers on a worker's device, only their questionnaire opens.
    "wayfinder.assessments.middleware.HandOverMiddleware",
    # With DATABASE_REPLICA_URL: the directory's read-only pages read it from the replica.
    "wayfinder.core.replica.ReplicaMiddleware",
]
if DEBUG and not env_bool("WAYFINDER_TECHNICAL_404", False):
    # The demo (`make run`) shows the real 404 page, with quick exit, not Django's URL list.
    MIDDLEWARE.append("wayfinder.core.middleware.RealNotFoundMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wayfinder.accounts.context_processors.actor",
            ],
        },
    }
]

# --- Databases ---------------------------------------------------------------------------
# The keystore holds each person's wrapped data key and their blind indexes. It is a separate
# database so that a backup or copy of the main database never contains the keys: deleting a
# person's key ("forget") then makes every earlier copy of their ciphertext unreadable.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'wayfinder.sqlite3'}")
if DATABASE_URL.startswith("sqlite") or not env_str("WAYFINDER_KEYSTORE_URL", ""):
    # The embedded default needs its folder on a fresh clone.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
KEYSTORE_URL = env_str("WAYFINDER_KEYSTORE_URL", "")


def _keystore_url(main: str) -> str:
    if KEYSTORE_URL:
        return KEYSTORE_URL
    if main.startswith("sqlite"):
        return f"sqlite:///{VAR_DIR / 'keystore.sqlite3'}"
    base, _sep, name = main.rpartition("/")
    name, _q, query = name.partition("?")
    return f"{base}/{name}_keystore" + (f"?{query}" if query else "")


# Persistent connections suit gunicorn (a few long-lived workers), not the development server:
# runserver starts a thread per request and each kept its own connection open until PostgreSQL
# ran out (93 of 100 requests). So: 0 under runserver whatever the setting, 0 by default under
# DEBUG, 60 s by default otherwise; CONN_HEALTH_CHECKS (below) drops a dead one before use.
_RUNSERVER = len(sys.argv) > 1 and sys.argv[1] == "runserver"
_CONN_MAX_AGE = 0 if _RUNSERVER else env_int("DB_CONN_MAX_AGE", 0 if DEBUG else 60)
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=_CONN_MAX_AGE),
    "keystore": dj_database_url.parse(_keystore_url(DATABASE_URL), conn_max_age=_CONN_MAX_AGE),
}
# SQLite: secure_delete is set on every connection, whatever the build default, so a deleted row
# (a forgotten person's key, their deleted answers) is overwritten with zeros in the file. The
# keystore uses a rollback journal, which is deleted at each commit; a WAL file would keep the
# old page. The main database keeps WAL for concurrency, truncated whenever it is reset.
_SQLITE_INIT = {
    "default": "PRAGMA secure_delete=ON; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
    "PRAGMA journal_size_limit=0;",
    "keystore": "PRAGMA secure_delete=ON; PRAGMA journal_mode=DELETE;",
}
# An optional read replica of the main database (wayfinder.core.replica): the directory's
# read-only pages and the HSDS API read from it; the gate, sessions and every transaction never do.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=_CONN_MAX_AGE)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests read the primary through it
# Behind PgBouncer in transaction pooling, a server-side cursor (iterator()) cannot outlive its
# transaction: DB_DISABLE_SERVER_SIDE_CURSORS=1 turns them off (see README, deployment).
_NO_SERVER_CURSORS = env_bool("DB_DISABLE_SERVER_SIDE_CURSORS", False)
# PostgreSQL on a kept connection: parameters are bound on the server, and a statement that the
# connection has run DB_PREPARE_THRESHOLD times (5, psycopg's default) is prepared there, so that
# PostgreSQL parses and plans the gate's, the session's and each page's queries once per
# connection rather than on every request (docs/benchmarks.md, "Tenth round"). "off" binds on the
# client as Django does by default: for PgBouncer in transaction pooling older than 1.22, or
# without max_prepared_statements (README, "Past one machine").
_PREPARE_RAW = env_str("DB_PREPARE_THRESHOLD", "").strip().lower()
_PREPARE_THRESHOLD = None if _PREPARE_RAW in {"off", "none"} else env_int("DB_PREPARE_THRESHOLD", 5)
if _PREPARE_THRESHOLD is not None and _PREPARE_THRESHOLD < 0:
    raise ImproperlyConfigured("DB_PREPARE_THRESHOLD must be 0 or more, or off")
for _alias, _db in DATABASES.items():
    if _db["ENGINE"].endswith("sqlite3"):
        _db["OPTIONS"] = {
            "init_command": _SQLITE_INIT.get(_alias, _SQLITE_INIT["default"]),
            "transaction_mode": "IMMEDIATE",
        }
        _db["CONN_MAX_AGE"] = 0
    else:
        _db["CONN_HEALTH_CHECKS"] = True
        if _NO_SERVER_CURSORS:
            _db["DISABLE_SERVER_SIDE_CURSORS"] = True
        if _PREPARE_THRESHOLD is not None and _db["CONN_MAX_AGE"]:
            _db.setdefault("OPTIONS", {}).update(
                server_side_binding=True, prepare_threshold=_PREPARE_THRESHOLD
            )
DATABASE_ROUTERS = [
    "wayfinder.core.replica.ReplicaRouter",
    "wayfinder.keystore.routers.KeystoreRouter",
]
# Which apps' models may be read from the replica, and on which pages (GET/HEAD, regexes).
WAYFINDER_REPLICA_APPS = ["directory"]
WAYFINDER_REPLICA_PATHS = [r"/hsds/", r"/directory/$", r"/directory/services/[^/]+/$"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # Shared between app servers, so login throttling holds across a fleet.
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "wayfinder_cache",
    }
}

# --- Auth --------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_ADAPTER = "wayfinder.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    # Repeated failed sign-ins are throttled per account and per address.
    "login_failed": env_str("WAYFINDER_LOGIN_FAILED_LIMIT", "10/m/ip,5/5m/key"),
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("WAYFINDER_NETWORK_NAME", "Wayfinder")
WAYFINDER_REQUIRE_MFA = env_bool("WAYFINDER_REQUIRE_MFA", True)

# Idle sessions end after 30 minutes by default: the expiry moves on with every request.
SESSION_COOKIE_AGE = env_int("WAYFINDER_IDLE_TIMEOUT_SECONDS", 30 * 60)
# The idle deadline moves on with activity, but the session is written at most once a minute
# (wayfinder.accounts.middleware.SessionTouchMiddleware), not in a transaction of its own on
# every request.
SESSION_SAVE_EVERY_REQUEST = False
WAYFINDER_SESSION_TOUCH_SECONDS = env_int("WAYFINDER_SESSION_TOUCH_SECONDS", 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Security headers (production runs behind TLS) ---------------------------------------
SECURE = env_bool("WAYFINDER_SECURE", not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("WAYFINDER_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("WAYFINDER_HSTS_SECONDS", 31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("WAYFINDER_BEHIND_PROXY", False) else None
)
# "same-origin", not "no-referrer": with no-referrer, browsers send "Origin: null" on every
# form POST and Django's CSRF check refuses it. Other sites still get no referrer at all.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp 4): scripts and styles only from our own files — no inline
# <script>, no on*= handlers, no <style>, no eval (htmx's hx-on and indicator styles are off:
# see static/wayfinder/wayfinder.js and the htmx-config meta tag in base.html).
_QUICK_EXIT_ORIGIN = "{0.scheme}://{0.netloc}".format(
    urlsplit(env_str("WAYFINDER_QUICK_EXIT_URL", "https://www.weather.gov/"))
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # data: the drawn consent signature
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        # The no-script quick exit posts to /exit/, which redirects to the neutral site.
        "form-action": ["'self'", _QUICK_EXIT_ORIGIN],
    }
}
# Features no page uses, off for every origin (wayfinder.core.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), "
    "fullscreen=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), microphone=(), "
    "midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), "
    "screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()"
)

# --- Wayfinder -----------------------------------------------------------------------------
# Key-encryption keys: "kid:base64key[,kid:base64key...]"; the first wraps new data keys.
WAYFINDER_KEK = env_secret("WAYFINDER_KEK")
WAYFINDER_DEV_KEK_FILE = VAR_DIR / "dev-kek"  # used only when DEBUG is on and no KEK is set
WAYFINDER_BLIND_INDEX_KEY = env_secret("WAYFINDER_BLIND_INDEX_KEY")
# Signed audit checkpoints (wayfinder.audit.checkpoints): an Ed25519 private key, base64 of its
# 32 bytes or a PEM file, kept outside the database; `manage.py audit keygen` makes one. Hosts that
# only verify need the public key(s) alone: base64, comma-separated (old keys after a rotation).
WAYFINDER_AUDIT_SIGNING_KEY = env_secret("WAYFINDER_AUDIT_SIGNING_KEY")
WAYFINDER_AUDIT_VERIFY_KEY = env_secret("WAYFINDER_AUDIT_VERIFY_KEY")
# Where each checkpoint is also written as one JSON line: a file path (appended to), "log" (or
# "-") for the "wayfinder.audit.witness" logger, or empty for the database only.
WAYFINDER_AUDIT_WITNESS = env_str("WAYFINDER_AUDIT_WITNESS", "log").strip()
# How often the checkpoint task (`manage.py audit schedule`, run by db_worker) signs the head.
WAYFINDER_AUDIT_CHECKPOINT_MINUTES = env_int("WAYFINDER_AUDIT_CHECKPOINT_MINUTES", 60)
if WAYFINDER_AUDIT_CHECKPOINT_MINUTES < 1:
    raise ImproperlyConfigured("WAYFINDER_AUDIT_CHECKPOINT_MINUTES must be 1 or more")
WAYFINDER_NETWORK_NAME = env_str("WAYFINDER_NETWORK_NAME", "Wayfinder")
WAYFINDER_QUICK_EXIT_URL = env_str("WAYFINDER_QUICK_EXIT_URL", "https://www.weather.gov/")
WAYFINDER_SITE_URL = env_str("WAYFINDER_SITE_URL", "http://127.0.0.1:8000")
WAYFINDER_BENCH = env_bool("WAYFINDER_BENCH", False)  # mounts /bench/floor for `make bench` only

# --- I18n ---------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
# Each interface language named in its own script. Survivor-facing surfaces (hand-over
# assessments, the consent text, the printed plan, crisis and break screens, quick exit) are
# complete in all of them; staff pages are complete in WAYFINDER_STAFF_LANGUAGES only (the staff
# language switch lists those). See docs/languages.md for each language's review status.
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("vi", "Tiếng Việt"),
    ("tl", "Tagalog"),
    ("ko", "한국어"),
    ("ht", "Kreyòl ayisyen"),
    ("ru", "Русский"),
    ("uk", "Українська"),
    ("ar", "العربية"),
]
WAYFINDER_STAFF_LANGUAGES = ["en", "es"]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]  # Russian and Ukrainian day-and-month dates
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "America/Chicago")
USE_TZ = True

# --- Static, e-mail, tasks ----------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("WAYFINDER_MANIFEST_STATIC", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "wayfinder@localhost")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Logs never carry personal data: requests are logged by path (ids only) and status.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "wayfinder.core.logfilters.RedactExceptionMessages"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Signed audit checkpoints (WAYFINDER_AUDIT_WITNESS=log): kept whatever LOG_LEVEL says.
        "wayfinder.audit.witness": {"level": "INFO"},
    },
}

# --- Accounts: sign-in, two-step sign-in (accounts app) ------------------------------------
# One TOTP step of clock drift either way is accepted (RFC 6238 recommends allowing for it).
MFA_TOTP_TOLERANCE = 1
# Invitation links (allauth's password-reset link) stay valid this long.
PASSWORD_RESET_TIMEOUT = env_int("WAYFINDER_INVITATION_TIMEOUT_SECONDS", 3 * 24 * 3600)

# --- Consent and plans (wayfinder.consent, wayfinder.plans) -------------------------------
# VAWA asks for "reasonably time-limited" consent: the longest a consent may run, and the
# default the form offers. Signed forms are stored encrypted in the database (not in MEDIA_ROOT).
WAYFINDER_CONSENT_MAX_DAYS = env_int("WAYFINDER_CONSENT_MAX_DAYS", 365)
# Anonymous feedback (docs/feedback.md): a domain's figure shows only from this many responses
# of an agency in a quarter; a quarter shows only once it has ended, unless this is on.
WAYFINDER_FEEDBACK_MIN_RESPONSES = env_int("WAYFINDER_FEEDBACK_MIN_RESPONSES", 5)
WAYFINDER_FEEDBACK_SHOW_OPEN_PERIOD = env_bool("WAYFINDER_FEEDBACK_SHOW_OPEN_PERIOD", False)
WAYFINDER_FEEDBACK_CODE_DAYS = env_int("WAYFINDER_FEEDBACK_CODE_DAYS", 180)
WAYFINDER_CONSENT_DEFAULT_DAYS = env_int("WAYFINDER_CONSENT_DEFAULT_DAYS", 180)
WAYFINDER_CONSENT_UPLOAD_MAX_BYTES = env_int("WAYFINDER_CONSENT_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
# A partner whose consent ended sees "your access ended on …" (AccessEndedMiddleware, above).

# --- Directory (HSDS) ---
# Whether the HSDS API at /hsds/ is open to anyone; when off, a signed-in member or an API token.
WAYFINDER_DIRECTORY_PUBLIC = env_bool("WAYFINDER_DIRECTORY_PUBLIC", True)
# Largest HSDS upload accepted on /directory/import/ (JSON, CSV or ZIP).
WAYFINDER_DIRECTORY_UPLOAD_MAX_BYTES = env_int(
    "WAYFINDER_DIRECTORY_UPLOAD_MAX_BYTES", 20 * 1024 * 1024
)
# Time zone (IANA name) of schedules that give no `timezone` offset, for "open now".
WAYFINDER_DIRECTORY_TIME_ZONE = env_str("WAYFINDER_DIRECTORY_TIME_ZONE", "") or TIME_ZONE
try:
    from zoneinfo import ZoneInfo

    ZoneInfo(WAYFINDER_DIRECTORY_TIME_ZONE)
except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
    raise ImproperlyConfigured(
        f"WAYFINDER_DIRECTORY_TIME_ZONE must be an IANA time zone name such as America/Chicago, "
        f"not {WAYFINDER_DIRECTORY_TIME_ZONE!r}"
    ) from None

# --- Assessments (wayfinder.assessments) ------------------------------------------------------
# Instruments not offered for new sessions, comma-separated ids, e.g. "brief_resilience_scale".
# Past sessions of a switched-off instrument stay readable.
WAYFINDER_ASSESSMENTS_DISABLED = env_str("WAYFINDER_ASSESSMENTS_DISABLED", "")
# Hand-over mode (HandOverMiddleware, above): while a survivor answers on a worker's device,
# only their questionnaire opens.

# --- Matching and directory pages (wayfinder.matching, directory browse pages) ---
# Weights of the soft scores that order matching results (see docs/matching.md). Override some or
# all with JSON, e.g. WAYFINDER_MATCH_WEIGHTS='{"distance": 30, "faith": 0}'.


def _json_weights(raw: str, known) -> dict:
    import json

    if not raw.strip():
        return {}
    try:
        weights = json.loads(raw)
    except ValueError:
        raise ImproperlyConfigured("WAYFINDER_MATCH_WEIGHTS must be a JSON object") from None
    if not isinstance(weights, dict) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) and v >= 0 for v in weights.values()
    ):
        raise ImproperlyConfigured(
            "WAYFINDER_MATCH_WEIGHTS must map score names to numbers of 0 or more"
        )
    if set(weights) - set(known):
        raise ImproperlyConfigured(
            f"WAYFINDER_MATCH_WEIGHTS: unknown scores {sorted(set(weights) - set(known))}"
        )
    return weights


WAYFINDER_MATCH_WEIGHTS = {
    "language": 30,  # staff speak the person's language > interpreter available > neither
    "distance": 20,  # nearer is better, down to nothing at the search radius
    "wait": 15,  # openings now > short waitlist > long waitlist
    "trauma_informed": 10,
    "trafficking_specific": 10,
    "staff_gender": 8,  # the person's preferred gender of staff
    "faith": 5,  # the person's wish for (or against) a faith-based service
}
WAYFINDER_MATCH_WEIGHTS.update(
    _json_weights(env_str("WAYFINDER_MATCH_WEIGHTS", ""), WAYFINDER_MATCH_WEIGHTS)
)
# Default search radius for "Find services" and the directory's distance filter (miles).
WAYFINDER_MATCH_RADIUS_MILES = env_int("WAYFINDER_MATCH_RADIUS_MILES", 25)
# Capacity not updated for this many days is flagged as stale.
WAYFINDER_CAPACITY_STALE_DAYS = env_int("WAYFINDER_CAPACITY_STALE_DAYS", 14)

# --- Referrals (wayfinder.referrals) ------------------------------------------------------------
# A referral not accepted or declined within this many hours reminds both agencies (TVAP's
# "matched within 48 hours"); an open referral with no update for this many days does too.
WAYFINDER_REFERRAL_ACK_HOURS = env_int("WAYFINDER_REFERRAL_ACK_HOURS", 48)
WAYFINDER_REFERRAL_STALE_DAYS = env_int("WAYFINDER_REFERRAL_STALE_DAYS", 14)

# --- Prevention (wayfinder.prevention) ----------------------------------------------------------
# The public help page's numbers: a network outside the US sets its own.
WAYFINDER_HELP_HOTLINE_NAME = env_str(
    "WAYFINDER_HELP_HOTLINE_NAME", "National Human Trafficking Hotline"
)
WAYFINDER_HELP_HOTLINE_PHONE = env_str("WAYFINDER_HELP_HOTLINE_PHONE", "1-888-373-7888")
WAYFINDER_HELP_HOTLINE_TEXT = env_str("WAYFINDER_HELP_HOTLINE_TEXT", "233733")
WAYFINDER_HELP_EMERGENCY_PHONE = env_str("WAYFINDER_HELP_EMERGENCY_PHONE", "911")
# Directory services shown on /help/: these categories (crisis help), plus any service with a
# schedule whose HSDS attending_type says walk-in or drop-in.
WAYFINDER_HELP_CATEGORIES = [
    c.strip()
    for c in env_str(
        "WAYFINDER_HELP_CATEGORIES", "crisis_intervention,emergency_shelter,safety_planning"
    ).split(",")
    if c.strip()
]
# Trainees' name, e-mail and organisation are blanked this many days after their session
# (`manage.py purge_trainees`); the counts stay.
WAYFINDER_TRAINEE_RETENTION_DAYS = env_int("WAYFINDER_TRAINEE_RETENTION_DAYS", 365)
# --- Survivor portal (docs/portal.md) ------------------------------------------------------
WAYFINDER_PORTAL_INVITATION_HOURS = env_int("WAYFINDER_PORTAL_INVITATION_HOURS", 72)
WAYFINDER_PORTAL_IDLE_SECONDS = env_int("WAYFINDER_PORTAL_IDLE_SECONDS", 5 * 60)
# Failed portal sign-ins (allauth's rate-limit syntax): per address, and per door number.
WAYFINDER_PORTAL_SIGN_IN_RATE = env_str("WAYFINDER_PORTAL_SIGN_IN_RATE", "20/15m/ip,5/15m/key")
# "Who looked" names agencies ("agency") or staff and their agency ("staff").
WAYFINDER_PORTAL_WHO_LOOKED_NAMES = env_str("WAYFINDER_PORTAL_WHO_LOOKED_NAMES", "agency")
