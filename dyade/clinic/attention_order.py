"""The caseload's order by attention as one whole number, so a database can sort by it.

:meth:`dyade.clinic.caseload.Attention.rank` is a tuple where smaller needs
attention sooner (safety, then the most urgent open signal, then progress that
goes the wrong way, then a diary that stopped; more open signals and more
questionnaires waiting first within a step). That order is Dyade's own judgement,
documented in :mod:`dyade.clinic.caseload`; nothing here changes it.

:func:`stored` turns it into one number where **larger needs attention sooner**,
so the caseload is read in the order of an index (the number descending, then
the newest assignment first). Two bands sit below every open case:

- :data:`CLOSED` (0): a closed case, out of the way below every open one;
- :data:`UNKNOWN` (1): an open case whose attention was never worked out (a new
  case, or one from before the order was stored). A page that shows such a case
  works it out and stores it, and the number only ever goes up from here, so a
  therapist paging down the list does not meet the same case twice for this reason.

Counts of open signals and questionnaires waiting are held below :data:`COUNTS`
(999 each): past that, cases differ only in the step. The guidance has far fewer
rules than that, so in practice the order is exactly that of ``rank()``.
"""

from __future__ import annotations

from dyade.clinic.caseload import Attention

CLOSED = 0
UNKNOWN = 1
_FIRST_KNOWN = 2
COUNTS = 1000
STEPS = 12  # Attention.rank() gives steps 0 (safety) to 11 (nothing open)


def stored(attention: Attention, *, is_open: bool) -> int:
    """The number stored for a case with ``attention``; larger needs attention sooner."""
    if not is_open:
        return CLOSED
    step, fewer_signals, fewer_waiting = attention.rank()
    step = min(max(step, 0), STEPS - 1)
    signals = min(-fewer_signals, COUNTS - 1)
    waiting = min(-fewer_waiting, COUNTS - 1)
    return _FIRST_KNOWN + ((STEPS - 1 - step) * COUNTS + signals) * COUNTS + waiting


HIGHEST = _FIRST_KNOWN + (STEPS * COUNTS) * COUNTS  # above every number stored()
