"""The language of the current request, as the two-letter code content files use."""

from __future__ import annotations

from django.utils.translation import get_language


def language() -> str:
    """ "nl" or "en" (Dutch when no language is active)."""
    return (get_language() or "nl")[:2]
