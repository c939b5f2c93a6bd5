import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.cache import cache


def totp_code(secret: str) -> str:
    """The code an authenticator app would show right now."""
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def give_totp(user) -> str:
    """Turn on TOTP (and recovery codes) for a user as if they had set it up; returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


@pytest.fixture
def clean_cache(transactional_db):
    # Rate-limit counters and used TOTP codes live in the database cache. Ordinary tests roll
    # them back with their transaction; transactional (browser) tests do not, and the cache table
    # is not a model, so it is not flushed between them either.
    cache.clear()
    yield
    cache.clear()
