from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from wayfinder.accounts.actor import agencies_of


def _nav_items(request):
    """Main navigation, gathered from each app's ``nav_items``: (order, url name, label, who may see)."""
    actor = request.actor
    items = []
    for app in apps.get_app_configs():
        for order, url_name, label, allowed in getattr(app, "nav_items", ()):
            if not allowed(actor):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            current = request.path == url or (url != "/" and request.path.startswith(url))
            items.append((order, {"url": url, "label": label, "current": current}))
    return [item for _order, item in sorted(items, key=lambda pair: pair[0])]


def actor(request):
    base = {
        "QUICK_EXIT_URL": settings.WAYFINDER_QUICK_EXIT_URL,
        "NETWORK_NAME": settings.WAYFINDER_NETWORK_NAME,
        # Staff pages are complete in these languages only (docs/languages.md).
        "STAFF_LANGUAGES": settings.WAYFINDER_STAFF_LANGUAGES,
        "WAYFINDER_REQUIRE_MFA": settings.WAYFINDER_REQUIRE_MFA,
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return base
    actor = request.actor
    actor.roles  # noqa: B018 - builds the lazy actor, which lists the user's agencies on the request
    my_agencies = request.wf_agencies if hasattr(request, "wf_agencies") else agencies_of(user)
    return {
        **base,
        "actor": actor,
        "my_agencies": my_agencies,
        "nav_items": _nav_items(request),
    }
