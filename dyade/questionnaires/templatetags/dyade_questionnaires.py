from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from dyade.clinic.instruments import text_in
from dyade.questionnaires import labels

register = template.Library()


@register.filter
def in_language(texts: Any) -> str:
    """An instrument's title (or other texts by language) in the page's language."""
    return text_in(texts or {}, (get_language() or "nl")[:2])


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    if mapping is None:
        return None
    return mapping.get(key)


@register.filter
def flag_line(flag: tuple[str, Any]) -> str:
    return labels.flag_line(flag)


@register.filter
def subscale_label(subscale: str) -> str:
    return str(labels.SUBSCALE_LABELS.get(subscale, subscale))


@register.filter
def flag_label(flag: str) -> str:
    return str(labels.FLAG_NAMES.get(flag, flag))


@register.filter
def summary_value(summary: Any, key: str) -> str:
    return labels.summary_value(summary, key)


@register.filter
def finding_text(finding: Any, partners: list[Any]) -> str:
    return labels.finding_text(finding, {partner.slot: partner.name for partner in partners})
