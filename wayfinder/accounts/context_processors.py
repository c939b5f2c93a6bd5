from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from wayfinder.accounts.actor import agencies_of

# Every app's navigation entries with their URLs, by (URL prefix, URL conf): the same on every
# page, so they are gathered and reversed once per process, not on each page. No user data.
_NAV_ENTRIES: dict[tuple, list[tuple]] = {}


def _nav_entries() -> list[tuple]:
    """(order, url, label, who may see) of each app's ``nav_items`` whose URL exists, by order."""
    key = (get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    entries = _NAV_ENTRIES.get(key)
    if entries is None:
        entries = []
        for app in apps.get_app_configs():
            for order, url_name, label, allowed in getattr(app, "nav_items", ()):
                try:
                    url = reverse(url_name)
                except NoReverseMatch:
                    continue
                entries.append((order, url, label, allowed))
        entries.sort(key=lambda entry: entry[0])
        _NAV_ENTRIES[key] = entries
    return entries


def _nav_items(request):
    """Main navigation, gathered from each app's ``nav_items``: (order, url name, label, who may see)."""
    actor = request.actor
    path = request.path
    return [
        {
            "url": url,
            "label": label,
            "current": path == url or (url != "/" and path.startswith(url)),
        }
        for _order, url, label, allowed in _nav_entries()
        if allowed(actor)
    ]


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
