from django.conf import settings

from wayfinder.accounts.actor import agencies_of


def actor(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "QUICK_EXIT_URL": settings.WAYFINDER_QUICK_EXIT_URL,
            "NETWORK_NAME": settings.WAYFINDER_NETWORK_NAME,
        }
    return {
        "actor": request.actor,
        "my_agencies": agencies_of(user),
        "QUICK_EXIT_URL": settings.WAYFINDER_QUICK_EXIT_URL,
        "NETWORK_NAME": settings.WAYFINDER_NETWORK_NAME,
    }
