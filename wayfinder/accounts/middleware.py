import time

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import SimpleLazyObject

from wayfinder.accounts.actor import Actor, actor_at_chosen

ACTIVE_AGENCY_KEY = "wf_active_agency"
# Set once TOTP is known to exist for the signed-in user; cleared when an authenticator is removed.
HAS_TOTP_KEY = "wf_has_totp"


def client_ip(request) -> str | None:
    # Behind a proxy, configure it to set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR")


def _actor(request) -> Actor:
    user = request.user
    ip = client_ip(request)
    if not user.is_authenticated:
        return Actor(user=user, agency=None, ip=ip)
    # One query for both; the agencies are reused by the context processor.
    actor, request.wf_agencies = actor_at_chosen(
        user, request.session.get(ACTIVE_AGENCY_KEY), ip=ip
    )
    return actor


# When the idle deadline was last moved on (seconds since the epoch), in the session.
TOUCHED_KEY = "wf_touched"


class SessionTouchMiddleware:
    """The idle timeout (``SESSION_COOKIE_AGE``) counts from the last request, but the session
    is saved (its expiry moved on) at most once every ``WAYFINDER_SESSION_TOUCH_SECONDS``.

    Saving it on every request (``SESSION_SAVE_EVERY_REQUEST``) was a transaction of its own,
    with its flush to disk, on every page a signed-in user opened. A session is now ended after
    between ``SESSION_COOKIE_AGE - WAYFINDER_SESSION_TOUCH_SECONDS`` and ``SESSION_COOKIE_AGE``
    of inactivity. A request that changes the session saves it anyway. Placed after
    ``SessionMiddleware``, so that its answer is read before the session decides to save."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        now = int(time.time())
        due = now - int(session.get(TOUCHED_KEY, 0)) >= settings.WAYFINDER_SESSION_TOUCH_SECONDS
        if due or session.modified:  # saved now, with a new expiry: note when
            session[TOUCHED_KEY] = now
        return response


class ActorMiddleware:
    """``request.actor``: the signed-in user at their active agency (chosen per session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(lambda: _actor(request))
        return self.get_response(request)


class RequireMFAMiddleware:
    """With WAYFINDER_REQUIRE_MFA on, a signed-in user without TOTP must set it up first.

    Still reachable without it: allauth's own pages (sign-out, password, the TOTP set-up itself and
    the recovery codes shown after it), the API (token auth, no session), quick exit, language
    switching and static files. Wayfinder's own pages under /accounts/ (staff, agencies) are not.
    """

    ALLOWED_PREFIXES = (
        "/static/",
        "/i18n/",
        "/jsi18n/",
        "/exit/",
        "/api/",
        "/hsds/",
        "/healthz",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.WAYFINDER_REQUIRE_MFA
            and request.user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and not _is_allauth_page(request)
            and not _has_totp(request)
        ):
            target = reverse("mfa_activate_totp")
            if request.headers.get("HX-Request"):
                # htmx would swap the set-up page into a fragment: make it load the whole page.
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(target)
        return self.get_response(request)


def _is_allauth_page(request) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.func.__module__.startswith("allauth.")


def _has_totp(request) -> bool:
    if request.session.get(HAS_TOTP_KEY):
        return True

    has = Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists()
    if has:
        request.session[HAS_TOTP_KEY] = True
    return has


def forget_cached_totp(request) -> None:
    """Drop the session's cached "has TOTP" flag so the next request checks the database again."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(HAS_TOTP_KEY, None)
