"""Form fields that let only values the database can hold reach a query.

A multi-select of people posts their ids; Django's field hands each one to the
database, and SQLite answers an id past its 64-bit integers with an
``OverflowError`` (a server error) instead of "no such row". Here an id that is
not a plain decimal number of a database integer's size is a form error.
"""

from __future__ import annotations

from typing import Any

from django import forms

ID_MAX = 2**63 - 1  # the largest id a 64-bit integer column holds (SQLite and PostgreSQL)


def is_id(value: Any) -> bool:
    """Whether ``value`` is a positive whole number a database id can be (ASCII digits only).

    ``"²".isdigit()`` is true but ``int("²")`` fails, and a 5,000-digit text is too long
    to convert: both are refused before ``int`` is called.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return 0 < value <= ID_MAX
    text = str(value)
    return 0 < len(text) <= 19 and text.isascii() and text.isdigit() and 0 < int(text) <= ID_MAX


class IdsField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """A :class:`~django.forms.ModelMultipleChoiceField` whose ids always fit the database."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            if not is_id(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(pk)[:20]},
                )
        return super()._check_values(value)
