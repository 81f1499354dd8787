"""The therapist's own answers to the ECR-R, scored with its published key.

Dyade ships only the ECR-R key (Fraley, Waller & Brennan 2000), not its item
texts. A therapist who has taken the ECR-R from their own copy enters the 36
answers here by item number; Dyade scores them and keeps only the two means in
the profile. The answers themselves are not stored.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dyade.content import instrument, score_instrument

ECR_R = "ecr-r"


def _item_field(number: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Item %(number)s") % {"number": number},
        required=False,
        min_value=1,
        max_value=7,
        widget=forms.NumberInput(attrs={"min": 1, "max": 7, "inputmode": "numeric"}),
    )


class EcrAnswersForm(forms.Form):
    """36 answers from 1 to 7; a few may be left out (the key allows 3 of 18 per scale)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.numbers = [item.number for item in instrument(ECR_R).questions if item.number]
        for number in self.numbers:
            self.fields[f"item_{number}"] = _item_field(number)
        self.scores: dict[str, float] = {}

    def anxiety_fields(self) -> list[forms.BoundField]:
        return [self[f"item_{n}"] for n in self.numbers if n <= 18]

    def avoidance_fields(self) -> list[forms.BoundField]:
        return [self[f"item_{n}"] for n in self.numbers if n > 18]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        answers = {number: cleaned.get(f"item_{number}") for number in self.numbers}
        scores = score_instrument(ECR_R, answers)
        if scores.get("anxiety") is None or scores.get("avoidance") is None:
            raise forms.ValidationError(
                _(
                    "Too many answers are missing to work out a score: answer at least 15 of "
                    "items 1 to 18 and at least 15 of items 19 to 36."
                )
            )
        self.scores = {
            name: round(float(value), 2) for name, value in scores.items() if value is not None
        }
        return cleaned
