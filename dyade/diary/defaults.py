"""Which optional diary items a new case starts with.

Dyade's own judgement (not from a seed): a new case's diary should take about a
minute, so it starts with the six daily questions and the note, plus one
follow-up that is asked only on a day with sexual contact (who took the
initiative; the "since last session" summary holds it against the cycle map's
positions around sex). The therapist switches the other items on per case on
the case's diary-items page. Cases that existed before this default keep what
they had (migration 0003 gave each of them a row with every item on).
"""

from __future__ import annotations

from dyade.clinic import diary as rules

ON_FOR_A_NEW_CASE: tuple[str, ...] = ("initiator",)
OFF_FOR_A_NEW_CASE: tuple[str, ...] = tuple(
    name for name in rules.OPTIONAL if name not in ON_FOR_A_NEW_CASE
)
