"""Test settings: the ordinary settings with fixed test secrets supplied through the environment."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdefghij")
# Two KEKs: the first wraps new keys, the second proves rotation/unwrap of older keys works.
os.environ.setdefault(
    "WAYFINDER_KEK",
    "t2:dGVzdC1rZWstdHdvLTMyLWJ5dGVzLWxvbmctLS0tLS0=,t1:dGVzdC1rZWstb25lLTMyLWJ5dGVzLWxvbmctLS0tLS0=",
)
os.environ.setdefault("WAYFINDER_BLIND_INDEX_KEY", "test-blind-index-key-0123456789")
os.environ.setdefault("WAYFINDER_SECURE", "false")
os.environ.setdefault("WAYFINDER_MANIFEST_STATIC", "false")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# The read replica (wayfinder.core.replica), mirrored onto the test database: the router is tested
# through it on PostgreSQL. Inside a test's transaction every read stays on the primary, as in any
# transaction. (SQLite's in-memory test database cannot be shared by a second connection while a
# test holds it, and a SQLite deployment has no replica.)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES.setdefault("replica", {**DATABASES["default"], "TEST": {"MIRROR": "default"}})  # noqa: F405
