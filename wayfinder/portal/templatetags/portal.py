from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def portal_idle_seconds() -> int:
    """When the page leaves for the sign-in page (``static/portal/idle.js``); the server has
    ended the session by then."""
    return int(settings.WAYFINDER_PORTAL_IDLE_SECONDS) + 1
