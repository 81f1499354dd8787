"""Is the therapy working, for each partner: reliable change and clinical significance.

Jacobson & Truax (1991), Clinical significance: a statistical approach to
defining meaningful change in psychotherapy research, J Consult Clin Psychol
59(1):12-19.

* The standard error of the difference between two scores is
  ``S_diff = SD * sqrt(2) * sqrt(1 - r)``, with ``SD`` the published standard
  deviation of the instrument and ``r`` its published reliability.
* The reliable change index is ``RC = (x2 - x1) / S_diff``. A change is
  *reliable* when ``|RC| > 1.96`` (it would arise from measurement error alone
  in fewer than 5 % of cases).
* A change is *clinically significant* when it is reliable and the score
  moves from the clinical range across the published cut-off into the
  functional range.

After each session a partner has one of four statuses, always against their
first (baseline) score:

``recovered``
    reliable improvement, from the clinical range into the functional range.
``improved``
    reliable improvement without crossing the cut-off (or without one).
``unchanged``
    no reliable change.
``deteriorated``
    reliable worsening.

"Better" follows the instrument's direction: for the CSI a higher score is
better and a score below the cut-off (13.5 for the CSI-4) lies in the
clinical (distressed) range. A score exactly at a cut-off counts as
functional; published cut-offs end in .5, so a whole-number total never
lands on one.

The published values come from the instrument file's ``change`` part
(:class:`~dyade.clinic.instrument_key.Change`). When the file has no verified
SD and reliability, no status is given (``None``): Dyade never guesses them.

Pure: no Django; the web layer passes scores in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from dyade.clinic.instrument_key import Change, Direction

Z_95 = 1.96  # two-sided 95 %: Jacobson & Truax's criterion for reliable change


class Status(StrEnum):
    RECOVERED = "recovered"
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    DETERIORATED = "deteriorated"


def standard_error_of_difference(sd: float, reliability: float) -> float:
    """``S_diff = SD * sqrt(2) * sqrt(1 - r)`` (Jacobson & Truax 1991, eq. 4)."""
    if not sd > 0:
        raise ValueError("the standard deviation must be above 0")
    if not 0 < reliability < 1:
        raise ValueError("the reliability must lie between 0 and 1")
    return sd * math.sqrt(2) * math.sqrt(1 - reliability)


def reliable_change_index(before: float, after: float, sd: float, reliability: float) -> float:
    """``RC = (after - before) / S_diff``; positive when the score went up."""
    return (after - before) / standard_error_of_difference(sd, reliability)


def reliable_change_threshold(sd: float, reliability: float) -> float:
    """The smallest change in points that is reliable: ``1.96 * S_diff``.

    A change counts as reliable only when it is strictly larger than this.
    """
    return Z_95 * standard_error_of_difference(sd, reliability)


def is_reliable(rc: float) -> bool:
    """``|RC| > 1.96``; exactly 1.96 is not reliable."""
    return abs(rc) > Z_95


def in_clinical_range(score: float, change: Change) -> bool | None:
    """Whether ``score`` lies on the clinical side of the cut-off; ``None`` without one."""
    if change.cutoff is None:
        return None
    if change.direction == Direction.HIGHER_BETTER:
        return score < change.cutoff
    return score > change.cutoff


def _improvement(rc: float, change: Change) -> float:
    """RC turned so that a positive value is always an improvement."""
    return rc if change.direction == Direction.HIGHER_BETTER else -rc


def status(baseline: float, current: float, change: Change) -> Status | None:
    """A partner's status at ``current`` against their ``baseline`` score.

    ``None`` when the instrument has no published SD and reliability.
    """
    if change.sd is None or change.reliability is None:
        return None
    rc = _improvement(
        reliable_change_index(baseline, current, change.sd, change.reliability), change
    )
    if not is_reliable(rc):
        return Status.UNCHANGED
    if rc < 0:
        return Status.DETERIORATED
    if in_clinical_range(baseline, change) is True and in_clinical_range(current, change) is False:
        return Status.RECOVERED
    return Status.IMPROVED


def statuses(scores: Sequence[float | None], change: Change) -> list[Status | None]:
    """The status after each session, oldest first, each against the first known score.

    A session without a score (a missed check-in) has no status (``None``),
    and so has the baseline session itself.
    """
    baseline = next((score for score in scores if score is not None), None)
    result: list[Status | None] = []
    seen_baseline = False
    for score in scores:
        if score is None or baseline is None or not seen_baseline:
            result.append(None)
            seen_baseline = seen_baseline or score is not None
            continue
        result.append(status(baseline, score, change))
    return result


@dataclass(frozen=True)
class Band:
    """The reliable-change band around a baseline: changes inside it are not reliable."""

    low: float
    high: float


def reliable_band(baseline: float, change: Change) -> Band | None:
    """``baseline ± 1.96 * S_diff``, for the chart; ``None`` without published values."""
    if change.sd is None or change.reliability is None:
        return None
    width = reliable_change_threshold(change.sd, change.reliability)
    return Band(baseline - width, baseline + width)
