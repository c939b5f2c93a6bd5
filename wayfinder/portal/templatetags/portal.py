from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def portal_idle_seconds() -> int:
    """When the page sends itself back to the sign-in page (the server has ended it by then)."""
    return int(settings.WAYFINDER_PORTAL_IDLE_SECONDS) + 2
