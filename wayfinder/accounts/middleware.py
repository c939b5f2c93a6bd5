from django.conf import settings
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject

from wayfinder.accounts.actor import Actor, actor_for, agencies_of

ACTIVE_AGENCY_KEY = "wf_active_agency"


def client_ip(request) -> str | None:
    # Behind a proxy, configure it to set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR")


def _actor(request) -> Actor:
    user = request.user
    ip = client_ip(request)
    if not user.is_authenticated:
        return Actor(user=user, agency=None, ip=ip)
    agencies = agencies_of(user)
    wanted = request.session.get(ACTIVE_AGENCY_KEY)
    agency = next((a for a in agencies if str(a.pk) == wanted), agencies[0] if agencies else None)
    return actor_for(user, agency, ip=ip)


class ActorMiddleware:
    """``request.actor``: the signed-in user at their active agency (chosen per session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(lambda: _actor(request))
        return self.get_response(request)


class RequireMFAMiddleware:
    """With WAYFINDER_REQUIRE_MFA on, a signed-in user without TOTP must set it up first."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/exit/", "/api/", "/hsds/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.WAYFINDER_REQUIRE_MFA
            and request.user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and not _has_totp(request)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def _has_totp(request) -> bool:
    cached = request.session.get("wf_has_totp")
    if cached:
        return True
    from allauth.mfa.models import Authenticator

    has = Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists()
    if has:
        request.session["wf_has_totp"] = True
    return has
