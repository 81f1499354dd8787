"""No internal codes on screen: guidance reasons and rule ids in words (issue 17)."""

from __future__ import annotations

import pytest
from django.utils import translation

from dyade.clinic import guidance
from dyade.sessions import labels

NAMES = {"A": "Sanne (A)", "B": "Thomas (B)"}


@pytest.mark.parametrize(
    ("language", "value", "words"),
    [
        ("nl", "differentiation", "Differentiatie"),
        ("en", "differentiation", "Differentiation"),
        ("nl", "safety", "Veiligheid eerst"),
        ("nl", "A+therapist", "Sanne (A) + jij"),
        ("en", "A+B", "Sanne (A) + Thomas (B)"),
        ("nl", "sometimes", "soms"),
        ("nl", True, "ja"),
    ],
)
def test_reason_values_are_words(language: str, value: object, words: str) -> None:
    with translation.override(language):
        assert labels.value_text(value, NAMES) == words


def test_an_id_no_rule_has_reads_as_words() -> None:
    with translation.override("nl"):
        assert labels.rule_label("diff.retired-rule") == "een signaal dat Dyade niet meer geeft"
    with translation.override("en"):
        assert "retired" not in labels.rule_label("diff.retired-rule")


@pytest.mark.parametrize("rule_id", sorted(guidance.RULES_BY_ID))
def test_every_rule_has_a_dutch_and_an_english_title(rule_id: str) -> None:
    with translation.override("en"):
        english = labels.rule_label(rule_id)
    with translation.override("nl"):
        dutch = labels.rule_label(rule_id)
    assert rule_id not in english and rule_id not in dutch
    assert dutch != english, f"{rule_id}: its title has no Dutch translation"
