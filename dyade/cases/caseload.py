"""The therapist's caseload: its page size and the filters read from a query string.

The caseload is shown a page at a time in the order of what needs attention,
across the whole caseload: ``dyade/overview/attention_page.py`` reads a page by
keyset from the order stored per assignment (it lives in the overview, above the
apps whose data it is worked out from), and ``dyade/overview/worklist.py`` works
out the page's columns in a fixed number of queries.

Filters narrow the rows before the page is cut: the status (open cases by
default, so closed ones are out of the way but one click from view), a search in
the case name (plain text, see ``docs/privacy.md``) and any further narrowing a
caller passes (the worklist passes the track, which lives in the sessions app
above this one). A filter that few cases pass makes the database read further
down the index for a page; the page's own work stays the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from dyade.cases.models import CaseStatus

PAGE_SIZE = 50
SEARCH_LENGTH = 120  # as long as a case name can be


def status(value: str | None) -> str:
    """The status filter from a query string: open unless "closed" (or "all") is asked for."""
    return value if value in (CaseStatus.CLOSED, "all") else CaseStatus.OPEN


def search(value: str | None) -> str:
    """The search text from a query string: trimmed, at most a case name long."""
    return (value or "").strip()[:SEARCH_LENGTH]


# A narrowing of the rows of a page (each with the case as ``case``).
Narrow = Callable[[QuerySet[Any]], QuerySet[Any]]
