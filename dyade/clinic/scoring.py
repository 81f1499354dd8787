"""Scoring of validated instruments with their published keys.

The key of each instrument (subscales, reverse-keyed items, sum or mean, the
missing-data rule and cut-offs) is data in its instrument file; see
:mod:`dyade.clinic.instruments`. This module applies such a key.

Missing data: a subscale is not scored (``None``) when more than its allowed
fraction of items is unanswered; the default is 20 %, and a key may demand
every item (HITS). A mean is taken over the answered items. A sum with missing
items allowed would be prorated to the full item count, so that totals stay
comparable.

Pure: the caller passes the :class:`~dyade.clinic.instruments.Instrument`;
:func:`dyade.content.score_instrument` looks a shipped one up by its id.
"""

from __future__ import annotations

from collections.abc import Mapping

from dyade.clinic.instruments import Instrument, Method

Answers = Mapping[int, int | None]
Scores = dict[str, float | None]


def check_answers(key: Instrument, answers: Answers) -> None:
    """Raise ``ValueError`` for unknown items or answers outside the response range."""
    numbers = {item.number for item in key.questions}
    low, high = key.response_min, key.response_max
    for number, answer in answers.items():
        if isinstance(number, bool) or not isinstance(number, int) or number not in numbers:
            raise ValueError(f"{key.id} has no item {number!r} (items are 1 to {len(numbers)})")
        if answer is None:
            continue
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise ValueError(f"{key.id} item {number}: the answer must be a whole number")
        if low is None or high is None or not low <= answer <= high:
            raise ValueError(f"{key.id} item {number}: {answer} is outside {low} to {high}")


def keyed_value(key: Instrument, number: int, answer: int) -> int:
    """The answer as it counts: reversed (min + max - answer) for reverse-keyed items."""
    if number in key.reverse:
        assert key.response_min is not None and key.response_max is not None
        return key.response_min + key.response_max - answer
    return answer


def score_key(key: Instrument, answers: Answers) -> Scores:
    """Score ``answers`` (1-based item number -> answer or None) with ``key``."""
    if not key.scored:
        raise ValueError(f"{key.id} is not a scored instrument")
    check_answers(key, answers)
    scores: Scores = {}
    for subscale in key.subscales:
        given = [
            keyed_value(key, number, answer)
            for number in subscale.items
            if (answer := answers.get(number)) is not None
        ]
        missing = len(subscale.items) - len(given)
        if not given or missing > subscale.max_missing_fraction * len(subscale.items):
            scores[subscale.id] = None
        elif subscale.method == Method.MEAN:
            scores[subscale.id] = sum(given) / len(given)
        else:
            scores[subscale.id] = sum(given) * len(subscale.items) / len(given)
    return scores


def flags(key: Instrument, scores: Mapping[str, float | None]) -> list[str]:
    """The published cut-offs that ``scores`` pass, e.g. ``["positive"]`` for HITS > 10."""
    raised = []
    for cutoff in key.cutoffs:
        score = scores.get(cutoff.subscale)
        if score is not None and score > cutoff.above:
            raised.append(cutoff.flag)
    return raised
