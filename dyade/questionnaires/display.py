"""How a stored answer reads on a page."""

from __future__ import annotations

from typing import Any

from dyade.clinic.instruments import Item, ItemType, text_in


def answer_text(item: Item, value: Any, language: str, anchors: dict[int, str]) -> str:
    """The answer in words: an option's label, a number with its anchor, or the text."""
    if value is None:
        return ""
    if item.type in (ItemType.TEXT, ItemType.INTEGER):
        return str(value)
    if isinstance(value, list):
        return ", ".join(_option_label(item, code, language, anchors) for code in value)
    return _option_label(item, value, language, anchors)


def _option_label(item: Item, code: Any, language: str, anchors: dict[int, str]) -> str:
    option = item.option(str(code))
    if option is None:
        return str(code)
    if option.value is not None and option.texts:
        return f"{option.value} ({text_in(option.texts, language)})"
    if option.value is not None:
        anchor = anchors.get(option.value)
        return f"{option.value} ({anchor})" if anchor else str(option.value)
    return text_in(option.texts, language)
