"""The therapist's caseload, read one page at a time.

A page costs the same with 100 cases as with 10,000: it is the next
:data:`PAGE_SIZE` assignments after a cursor (the id of the last assignment on
the page before), read in the order of the index on the therapist, with no
count of the whole caseload and no offset to skip. Newest assignments come
first, so a case just created or handed over is on the first page.

The worklist of issue 15 (sorted by what needs attention, filtered by track and
status, closed cases out of the way) builds on this: a sort becomes another
ordered, indexed key with its own cursor, and a filter narrows
:func:`dyade.cases.policy.assignments_for` before the page is cut; the page and
its cursors keep their shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import prefetch_related_objects

from dyade.cases import policy
from dyade.cases.models import Case

PAGE_SIZE = 50


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


def page(
    user: Any, *, before: int | None = None, after: int | None = None, size: int = PAGE_SIZE
) -> Page:
    """The assignments of ``user`` older than ``before`` (or newer than ``after``), one page.

    Without a cursor: the newest page. Each case comes with its partners.
    """
    rows = policy.assignments_for(user).select_related("case")
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
        return page(user, size=size)  # a cursor past either end: start again at the top
    cases = [row.case for row in found]
    prefetch_related_objects(cases, "partners")
    return Page(
        cases=cases,
        older=found[-1].id if found and more_older else None,
        newer=found[0].id if found and more_newer else None,
    )
