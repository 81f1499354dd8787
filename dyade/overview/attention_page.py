"""One page of the therapist's caseload in the order of what needs attention, whole caseload.

The page is read from the stored order (:class:`dyade.overview.models.AttentionState`)
by keyset: the next :data:`dyade.cases.caseload.PAGE_SIZE` states of the viewer after
a cursor, by rank (larger first) and then the newest assignment, in the order of
the index ``attention_page`` (therapist, rank, assignment). No count of the
caseload, no offset: a page costs the same for 100 cases as for 10,000.

Access: the states never decide who sees a case. The page is read from the
viewer's assignments as the policy core gives them (``policy.assignments_for``:
nothing for anyone but an active therapist, only cases of their practice), each
joined to the one state of this therapist for this very assignment; the cases shown
carry the core's proof (``policy.assigned_cases``). A state without such an
assignment (another therapist's, an ended assignment) never reaches a page. One
query, planned from the index (SQLite: no sort step; see docs/performance.md).

Cursors are opaque: the rank and assignment of the last (or first) row of the page
and the viewer's id, encrypted and authenticated with a key derived from
``SECRET_KEY`` (Fernet), so a link in a browser's history or a proxy's log says
nothing about a case. Anything that does not decrypt to the viewer's own cursor
shows the first page.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db.models import F, Q, Subquery, Value, prefetch_related_objects
from django.db.models.functions import Coalesce

from dyade.cases import caseload, policy
from dyade.cases.models import Case, CaseStatus
from dyade.clinic import attention_order
from dyade.overview import tracks
from dyade.overview.models import AttentionState

CURSOR_LENGTH = 200  # a token is about 120 characters


@dataclass(frozen=True)
class Key:
    rank: int
    assignment_id: int


@dataclass(frozen=True)
class Page:
    cases: list[Case]
    states: dict[int, AttentionState]  # by case id, as read (before the data)
    first: Key | None  # the stored key of the page's first and last state, as read
    last: Key | None
    more_older: bool = False  # there is a next page
    more_newer: bool = False  # there is a page before

    def older(self, user: Any) -> str | None:
        """The cursor of the next page: after the last state as it was read, so a case
        not yet shown is never passed over (one whose number just fell may come again)."""
        return encode(user, self.last) if self.last and self.more_older else None

    def newer(self, user: Any, written: list[Key]) -> str | None:
        """The cursor of the page before: above this page's first state as read and above
        the keys its cases have now (``written``), so the page before never holds a case
        of this page that just moved up."""
        if not (self.first and self.more_newer):
            return None
        top = max([self.first, *written], key=lambda key: (key.rank, key.assignment_id))
        return encode(user, top)


@cache
def _fernet(secret: str) -> Fernet:
    digest = hashlib.sha256(f"dyade.caseload.cursor:{secret}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encode(user: Any, key: Key) -> str:
    text = f"{user.pk}:{key.rank}:{key.assignment_id}"
    return _fernet(settings.SECRET_KEY).encrypt(text.encode()).decode("ascii")


def decode(user: Any, value: str | None) -> Key | None:
    """The key in a cursor made for ``user``; None for anything else."""
    if not value or len(value) > CURSOR_LENGTH or not value.isascii():
        return None
    try:
        text = _fernet(settings.SECRET_KEY).decrypt(value.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeDecodeError):
        return None
    parts = text.split(":")
    if len(parts) != 3 or not all(part.isascii() and part.isdigit() for part in parts):
        return None
    owner, rank, assignment = (int(part) for part in parts)
    if owner != getattr(user, "pk", None):
        return None
    return Key(rank, assignment)


_STATE = "case__attention_states__"
_FIELDS = ("pk", "rank", "marks", "computed_marks", "computed_at")


def _rows(
    user: Any, state: str, text: str, narrow: caseload.Narrow | None, track: str | None = None
) -> Any:
    """The viewer's assignments (the policy core's rows), each with its own state joined:
    the one state of this therapist for this case (unique), so one row per assignment.
    ``track`` (a track's name, or ``tracks.NONE``) keeps the cases on that track by the
    state's copy of it, in the same join (a second ``filter()`` would join a second
    state), so the page reads the index ``attention_track``.

    The state's ``assignment_id`` is not matched against the row's id in SQL: PostgreSQL
    then takes the two equal joins for independent, expects one row and sorts the whole
    caseload instead of reading the index. It is the same number by construction, and
    only orders the rows; who sees which case is the policy's rows alone.
    """
    own = {f"{_STATE}therapist_id": user.pk}
    if track is not None:
        own[f"{_STATE}track"] = track
    rows = policy.assignments_for(user).filter(**own)
    rows = rows.annotate(
        rank=F(f"{_STATE}rank"),
        key=F(f"{_STATE}assignment_id"),  # the index's column: ties by newest assignment
        **{f"state_{name}": F(f"{_STATE}{name}") for name in _FIELDS if name != "rank"},
    )
    if state != "all":
        rows = rows.filter(case__status=state)
    if text:
        rows = rows.filter(case__label__icontains=text)
    if narrow is not None:
        rows = narrow(rows)
    return rows.select_related("case")


def _state_of(row: Any) -> AttentionState:
    return AttentionState(
        pk=row.state_pk,
        case_id=row.case_id,
        therapist_id=row.user_id,
        assignment_id=row.key,
        rank=row.rank,
        marks=row.state_marks,
        computed_marks=row.state_computed_marks,
        computed_at=row.state_computed_at,
    )


def adopt_new(user: Any) -> int:
    """States for the viewer's assignments newer than their newest state (made without
    Django's signals, e.g. imported in bulk): they appear at once, as never worked out,
    and the page works them out when it shows them. Two index look-ups when there are
    none; older gaps are the background refresh's (``attention.follow_assignments``)."""
    newest = (
        AttentionState.objects.filter(therapist_id=user.pk)
        .order_by("-assignment_id")
        .values("assignment_id")[:1]
    )
    found = (
        policy.assignments_for(user)
        .filter(pk__gt=Coalesce(Subquery(newest), Value(0)))
        .annotate(current_track=tracks.current())
        .values_list("pk", "case_id", "case__status", "current_track")
    )
    made = [
        AttentionState(
            case_id=case_id,
            therapist_id=user.pk,
            assignment_id=pk,
            rank=attention_order.UNKNOWN if status == CaseStatus.OPEN else attention_order.CLOSED,
            track=track,
        )
        for pk, case_id, status, track in found
    ]
    if made:
        AttentionState.objects.bulk_create(made, ignore_conflicts=True)
    return len(made)


def page(
    user: Any,
    *,
    older: Key | None = None,
    newer: Key | None = None,
    size: int | None = None,
    state: str = CaseStatus.OPEN,
    text: str = "",
    narrow: caseload.Narrow | None = None,
    track: str | None = None,
) -> Page:
    """The viewer's cases after ``older`` (or before ``newer``) in the stored order,
    ``size`` of them (:data:`dyade.cases.caseload.PAGE_SIZE` unless given); only those
    on ``track`` when it is given (``tracks.NONE``: no track)."""
    size = size or caseload.PAGE_SIZE
    if not policy.can_create_case(user):
        return Page(cases=[], states={}, first=None, last=None)
    adopt_new(user)
    rows = _rows(user, state, text, narrow, track)
    if newer is not None:
        after = Q(rank__gt=newer.rank) | Q(rank=newer.rank, key__gt=newer.assignment_id)
        found = list(
            rows.filter(rank__gte=newer.rank).filter(after).order_by("rank", "key")[: size + 1]
        )
        more_newer = len(found) > size
        found = found[:size][::-1]
        more_older = True  # the page we came from
    else:
        if older is not None:
            before = Q(rank__lt=older.rank) | Q(rank=older.rank, key__lt=older.assignment_id)
            rows = rows.filter(rank__lte=older.rank).filter(before)
        found = list(rows.order_by("-rank", "-key")[: size + 1])
        more_older = len(found) > size
        found = found[:size]
        more_newer = older is not None
    if not found and (older is not None or newer is not None):  # past either end
        return page(user, size=size, state=state, text=text, narrow=narrow, track=track)
    cases = policy.assigned_cases(user, found)
    prefetch_related_objects(cases, "partners")
    return Page(
        cases=cases,
        states={row.case_id: _state_of(row) for row in found},
        first=Key(found[0].rank, found[0].key) if found else None,
        last=Key(found[-1].rank, found[-1].key) if found else None,
        more_older=more_older,
        more_newer=more_newer,
    )
