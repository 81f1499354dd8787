from __future__ import annotations

from django import template
from django.forms import BoundField

from dyade.clinic import diary as rules

register = template.Library()


@register.filter
def visibility(field: BoundField) -> str:
    """The visibility level of a diary form field (``shared``, ``private`` …)."""
    return rules.FIELDS_BY_NAME[field.name].visibility.value
