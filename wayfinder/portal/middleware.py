"""A portal session is confined to the portal, by construction.

``request.portal`` is the signed-in ``PortalAccount`` or None. A portal session carries no Django
user, so every staff view (``login_required``) and the staff API (``ApiToken`` only) already
refuse it; on top of that, this middleware answers 404 to any path outside the portal and a short
list of public paths before a view runs. The session ends after the idle time, when the account's
session version moves on ("sign out everywhere and lock my door") and on quick exit.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.shortcuts import redirect
from django.utils import translation

from wayfinder.portal.models import PortalAccount

SESSION_KEY = "wf_portal"
PORTAL_PREFIX = "/my/"
# Public paths a portal session may still reach (quick exit, static files, language, health, and
# the anonymous survey of wayfinder.feedback at /f/, which holds nothing of anyone).
# Besides /my/, what a portal session may open: the public help page and its campaign links
# (a person signed in to their door may still need the hotline), the anonymous survey, quick exit.
PUBLIC_PREFIXES = (
    "/static/",
    "/exit/",
    "/i18n/",
    "/jsi18n/",
    "/favicon.ico",
    "/healthz",
    "/f/",
    "/help/",
    "/h/",
)


def start(request, account: PortalAccount) -> None:
    """Sign the person in: a fresh session (any staff sign-in in this browser ends)."""
    from django.contrib.auth import logout

    logout(request)  # flushes the session: a new key, nothing carried over
    request.session[SESSION_KEY] = {
        "id": str(account.pk),
        "v": account.session_version,
        "seen": time.time(),
    }
    request.portal = account


def end(request) -> None:
    request.session.flush()
    request.portal = None


def _account(request) -> tuple[PortalAccount | None, bool]:
    """(the account, whether a portal session just ended)."""
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None, False
    now = time.time()
    if now - float(data.get("seen", 0)) > settings.WAYFINDER_PORTAL_IDLE_SECONDS:
        return None, True
    account = (
        PortalAccount.objects.select_related("person", "person__owner_agency")
        .filter(
            pk=str(data.get("id")), session_version=int(data.get("v", 0)), locked_at__isnull=True
        )
        .first()
    )
    if account is None:
        return None, True
    data["seen"] = now
    request.session[SESSION_KEY] = data
    return account, False


class PortalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        account, ended = _account(request)
        request.portal = account
        path = request.path
        if ended:
            end(request)
            if path.startswith(PORTAL_PREFIX) and request.method == "GET":
                return _no_store(redirect(f"{PORTAL_PREFIX}?ended=1"))
        if account is not None:
            if path.startswith("/exit/"):
                end(request)  # quick exit: the core view then sends them to the neutral site
            elif not path.startswith((PORTAL_PREFIX, *PUBLIC_PREFIXES)):
                from wayfinder.core.views import not_found

                return _no_store(not_found(request))
        language = account.language if account is not None else ""
        if language:
            # For this request only (override, not activate: the thread serves others next).
            request.LANGUAGE_CODE = language
            with translation.override(language):
                response = self.get_response(request)
        else:
            response = self.get_response(request)
        if path.startswith(PORTAL_PREFIX) or account is not None:
            _no_store(response)
        return response


def _no_store(response):
    response.headers["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    response.headers["Pragma"] = "no-cache"
    response.headers["Expires"] = "0"
    return response
