from django import template

from wayfinder.reports.measures import DIMENSION_LABELS

register = template.Library()


@register.filter
def zip_rows(labels, grid):
    """(row label, entries) for each row of a published grid, the total row left out."""
    return list(zip(labels, grid[:-1], strict=False))


@register.simple_tag
def dimension_label(dimension: str) -> str:
    return str(DIMENSION_LABELS.get(dimension, ""))
