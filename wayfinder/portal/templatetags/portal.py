from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def portal_idle_seconds() -> int:
    """When the page leaves for the sign-in page (``static/portal/idle.js``); the server has
    ended the session by then."""
    return int(settings.WAYFINDER_PORTAL_IDLE_SECONDS) + 1


@register.simple_tag(takes_context=True)
def portal_language_switch(context) -> dict:
    """The survivor language switch (``templates/_survivor_language.html``) of a portal page:
    every interface language in its own script. Signed in, the choice is saved on the account;
    signed out, it is Django's language cookie."""
    from django.urls import reverse
    from django.utils.translation import get_language

    from wayfinder.core.languages import language_switch

    request = context["request"]
    signed_in = getattr(request, "portal", None) is not None
    action = reverse("portal:language") if signed_in else reverse("set_language")
    return language_switch(action, get_language())
