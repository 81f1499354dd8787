"""Scoring of validated instruments with their published keys.

The key of each instrument (subscales, reverse-keyed items, sum or mean, the
missing-data rule, weights, item ranges, cut-offs and bands) is data in its
instrument file; see :mod:`dyade.clinic.instruments`. This module applies such
a key. Nothing here names an instrument.

Missing data: a subscale is not scored (``None``) when more than its allowed
fraction of items is unanswered; the default is 20 %, and a key may demand
every item (HITS). A mean is taken over the answered items. A sum with missing
items allowed would be prorated to the full item count, so that totals stay
comparable. A subscale's weight multiplies its sum or mean (the FSFI domain
factors); a subscale made ``of`` others is their sum, unscored when one is.
An answer of 0 on an item whose range starts at 0 is an answer, not a gap
(the FSFI's "no sexual activity" counts as 0).

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
    for number, answer in answers.items():
        if isinstance(number, bool) or not isinstance(number, int) or number not in numbers:
            raise ValueError(f"{key.id} has no item {number!r} (items are 1 to {len(numbers)})")
        if answer is None:
            continue
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise ValueError(f"{key.id} item {number}: the answer must be a whole number")
        low, high = key.item_range(number)
        if low is None or high is None or not low <= answer <= high:
            raise ValueError(f"{key.id} item {number}: {answer} is outside {low} to {high}")


def keyed_value(key: Instrument, number: int, answer: int) -> int:
    """The answer as it counts: reversed (min + max - answer) for reverse-keyed items."""
    if number in key.reverse:
        low, high = key.item_range(number)
        assert low is not None and high is not None
        return low + high - answer
    return answer


def score_key(key: Instrument, answers: Answers) -> Scores:
    """Score ``answers`` (1-based item number -> answer or None) with ``key``."""
    if not key.scored:
        raise ValueError(f"{key.id} is not a scored instrument")
    check_answers(key, answers)
    scores: Scores = {}
    for subscale in key.subscales:
        if subscale.of:
            parts = [scores.get(other) for other in subscale.of]
            known = [part for part in parts if part is not None]
            scores[subscale.id] = round(sum(known), 10) if len(known) == len(parts) else None
            continue
        given = [
            keyed_value(key, number, answer)
            for number in subscale.items
            if (answer := answers.get(number)) is not None
        ]
        missing = len(subscale.items) - len(given)
        if not given or missing > subscale.max_missing_fraction * len(subscale.items):
            scores[subscale.id] = None
        elif subscale.method == Method.MEAN:
            scores[subscale.id] = _weighted(subscale.weight, sum(given) / len(given))
        else:
            scores[subscale.id] = _weighted(
                subscale.weight, sum(given) * len(subscale.items) / len(given)
            )
    return scores


def _weighted(weight: float, score: float) -> float:
    """``score`` times ``weight``; a weighted score is rounded to 10 places (0.4 * 2 is 0.8)."""
    return score if weight == 1.0 else round(weight * score, 10)


def flags(key: Instrument, scores: Mapping[str, float | None]) -> list[str]:
    """The published cut-offs that ``scores`` pass, e.g. ``["positive"]`` for HITS > 10.

    A cut-off with ``above`` flags a score strictly above it; one with
    ``below`` a score strictly below it (CSI-4 below 13.5: distress).
    """
    raised = []
    for cutoff in key.cutoffs:
        score = scores.get(cutoff.subscale)
        if score is None:
            continue
        if (cutoff.above is not None and score > cutoff.above) or (
            cutoff.below is not None and score < cutoff.below
        ):
            raised.append(cutoff.flag)
    return raised


def bands(key: Instrument, scores: Mapping[str, float | None]) -> dict[str, str]:
    """The published band each scored subscale falls in, e.g. ``{"total": "mild"}``."""
    found: dict[str, str] = {}
    for band in key.bands:
        score = scores.get(band.subscale)
        if score is not None and band.low <= score <= band.high:
            found[band.subscale] = band.band
    return found
