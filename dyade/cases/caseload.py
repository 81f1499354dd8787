"""The therapist's caseload, read one page at a time.

A page costs the same with 100 cases as with 10,000: it is the next
:data:`PAGE_SIZE` assignments after a cursor (the id of the last assignment on
the page before), read in the order of the index on the therapist, with no
count of the whole caseload and no offset to skip. Newest assignments come
first, so a case just created or handed over is on the first page.

Filters narrow :func:`dyade.cases.policy.assignments_for` before the page is cut:
the status (open cases by default, so closed ones are out of the way but one
click from view), a search in the case name (plain text, see ``docs/privacy.md``)
and any further narrowing a caller passes (the worklist passes the track, which
lives in the sessions app above this one). A filter that few cases pass makes
the database read further down the index for a page; the page's own work stays
the same.

The worklist's columns and its order by what needs attention are worked out for
the cases of one page, in a fixed number of queries, by
``dyade/overview/worklist.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet, prefetch_related_objects

from dyade.cases import policy
from dyade.cases.models import Case, CaseStatus

PAGE_SIZE = 50
SEARCH_LENGTH = 120  # as long as a case name can be


@dataclass(frozen=True)
class Page:
    cases: list[Case]
    older: int | None  # the cursor of the next page (older assignments), if there is one
    newer: int | None  # the cursor of the page before (newer assignments), if there is one

    @property
    def is_first(self) -> bool:
        return self.newer is None


def cursor(value: str | None) -> int | None:
    """A cursor from a query string: a positive whole number, or None for anything else."""
    if value is None or not (value.isascii() and value.isdigit()) or len(value) > 18:
        return None
    return int(value) or None


def status(value: str | None) -> str:
    """The status filter from a query string: open unless "closed" (or "all") is asked for."""
    return value if value in (CaseStatus.CLOSED, "all") else CaseStatus.OPEN


def search(value: str | None) -> str:
    """The search text from a query string: trimmed, at most a case name long."""
    return (value or "").strip()[:SEARCH_LENGTH]


Narrow = Callable[[QuerySet[Any]], QuerySet[Any]]


def page(
    user: Any,
    *,
    before: int | None = None,
    after: int | None = None,
    size: int = PAGE_SIZE,
    state: str = CaseStatus.OPEN,
    text: str = "",
    narrow: Narrow | None = None,
) -> Page:
    """The assignments of ``user`` older than ``before`` (or newer than ``after``), one page.

    Without a cursor: the newest page. Only cases with status ``state`` ("all" for
    both) whose name holds ``text``, narrowed further by ``narrow``. Each case comes
    with its partners and carries the policy's proof that ``user`` is its therapist.
    """
    rows = policy.assignments_for(user).select_related("case")
    if state != "all":
        rows = rows.filter(case__status=state)
    if text:
        rows = rows.filter(case__label__icontains=text)
    if narrow is not None:
        rows = narrow(rows)
    if after is not None:
        found = list(rows.filter(id__gt=after).order_by("id")[: size + 1])
        more_newer = len(found) > size
        found = found[:size][::-1]
        more_older = True  # the page we came from
    else:
        if before is not None:
            rows = rows.filter(id__lt=before)
        found = list(rows.order_by("-id")[: size + 1])
        more_older = len(found) > size
        found = found[:size]
        more_newer = before is not None
    if not found and (before is not None or after is not None):
        # A cursor past either end: start again at the top.
        return page(user, size=size, state=state, text=text, narrow=narrow)
    cases = policy.assigned_cases(user, found)
    prefetch_related_objects(cases, "partners")
    return Page(
        cases=cases,
        older=found[-1].id if found and more_older else None,
        newer=found[0].id if found and more_newer else None,
    )
