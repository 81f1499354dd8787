"""The language of the current request, as the two-letter code content files use."""

from __future__ import annotations

from django.utils.translation import get_language

from dyade.content import FORMAL_DUTCH


def language() -> str:
    """ "nl" or "en" (Dutch when no language is active)."""
    return (get_language() or "nl")[:2]


def content_language() -> str:
    """The language to read a content file in: "nl", "en", or "nl-formal" (Dutch with "u").

    Partners of a practice that addresses them formally read their exercises and pages
    in formal Dutch (dyade.content puts the formal texts over the Dutch ones).
    """
    return FORMAL_DUTCH if get_language() == FORMAL_DUTCH else language()
