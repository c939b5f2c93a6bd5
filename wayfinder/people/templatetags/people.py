from django import template
from django.template.loader import get_template

from wayfinder.core.categories import Category
from wayfinder.core.languages import BCP47, autonym
from wayfinder.core.languages import language_name as _language_name
from wayfinder.people.display import action_label as _action_label
from wayfinder.people.display import display_value

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    return _language_name(code)


@register.filter
def language_autonym(code: str) -> str:
    """The language named in itself ("spa" -> "español"): for pages a survivor reads."""
    return autonym(code)


@register.filter
def lang_tag(code: str) -> str:
    """A stored ISO 639-3 code as the BCP 47 tag a ``lang`` attribute needs ("eng" → "en")."""
    return BCP47.get(code, code)


@register.filter
def shown(value, field: str) -> str:
    """A person's field value as a reader sees it ("Prefer not to say" for declined)."""
    return display_value(field, value)


@register.simple_tag(takes_context=True)
def render_panel(context, panel: dict) -> str:
    """Include a dashboard panel's template with its ``context`` keys as variables."""
    tpl = get_template(panel["template"])
    with context.push(panel=panel, **panel.get("context", {})):
        return tpl.template.render(context)


@register.filter
def action_label(action: str) -> str:
    return _action_label(action)


@register.filter
def category_label(category: str) -> str:
    try:
        return Category(category).label
    except ValueError:
        return category
