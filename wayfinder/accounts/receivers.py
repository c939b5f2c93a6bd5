"""Sign-in and MFA events from Django and allauth, written to the audit trail.

These are library events with no action of ours to call, so a signal receiver is the one hook.
"""

from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from wayfinder.accounts.middleware import client_ip, forget_cached_totp
from wayfinder.audit.events import record


def _ip(request):
    return client_ip(request) if request is not None else None


@receiver(auth_signals.user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record("auth.login", category="auth", user_id=user.pk, ip=_ip(request), via="web")


@receiver(auth_signals.user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record("auth.logout", category="auth", user_id=user.pk, ip=_ip(request), via="web")


@receiver(auth_signals.user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The attempted e-mail is personal data of whoever typed it: it is not recorded.
    record("auth.login_failed", category="auth", ip=_ip(request), via="web")


def _mfa(action):
    def handler(sender, request, user, authenticator=None, **kwargs):
        detail = {"type": getattr(authenticator, "type", "")} if authenticator is not None else {}
        record(action, category="auth", user_id=user.pk, ip=_ip(request), via="web", detail=detail)

    return handler


_mfa_added = _mfa("mfa.added")
_mfa_removed = _mfa("mfa.removed")
_mfa_reset = _mfa("mfa.reset")
mfa_signals.authenticator_added.connect(_mfa_added, dispatch_uid="wf_mfa_added")
mfa_signals.authenticator_removed.connect(_mfa_removed, dispatch_uid="wf_mfa_removed")
mfa_signals.authenticator_reset.connect(_mfa_reset, dispatch_uid="wf_mfa_reset")
_mfa_failed = _mfa("mfa.failed")
mfa_signals.authentication_failed.connect(_mfa_failed, dispatch_uid="wf_mfa_failed")


@receiver(mfa_signals.authenticator_removed, dispatch_uid="wf_mfa_forget_cached_totp")
def _forget_cached_totp(sender, request, user, **kwargs):
    # RequireMFAMiddleware caches "has TOTP" in the session: removing it must take effect at once.
    forget_cached_totp(request)
