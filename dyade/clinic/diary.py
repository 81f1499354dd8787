"""The daily diary: its fields, who sees each one, and when an entry may change.

The diary follows the dyadic diary design of Dewitte (2019, seed 003): both
partners answer the same short questions every day, at home. Each field states
its visibility, so the form can tell the partner who will read the answer and
the access policy can hide it from whoever may not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from dyade.clinic.visibility import Visibility

SCALE_MIN = 0
SCALE_MAX = 10
NOTE_MAX_LENGTH = 4000
EDITABLE_DAYS = 2  # today and yesterday


class FieldKind(StrEnum):
    SCALE = "scale"  # a whole number from SCALE_MIN to SCALE_MAX
    YES_NO = "yes_no"
    TEXT = "text"


@dataclass(frozen=True)
class DiaryField:
    name: str
    kind: FieldKind
    visibility: Visibility
    author_may_share: bool = False  # the author may raise PRIVATE to SHARED per entry


# The order is the order of the form. Ratings about the relationship that both
# partners live through together (closeness, stress, sexual contact) are shared;
# what is about the inner experience of one partner (feeling seen, desire,
# conflict as they lived it, and the note) stays between that partner and the
# therapist unless the author shares the note.
FIELDS: tuple[DiaryField, ...] = (
    DiaryField("closeness", FieldKind.SCALE, Visibility.SHARED),
    DiaryField("feeling_seen", FieldKind.SCALE, Visibility.PRIVATE),
    DiaryField("stress", FieldKind.SCALE, Visibility.SHARED),
    DiaryField("desire", FieldKind.SCALE, Visibility.PRIVATE),
    DiaryField("sexual_contact", FieldKind.YES_NO, Visibility.SHARED),
    DiaryField("conflict", FieldKind.YES_NO, Visibility.PRIVATE),
    DiaryField("note", FieldKind.TEXT, Visibility.PRIVATE, author_may_share=True),
)
FIELDS_BY_NAME = {field.name: field for field in FIELDS}


def field_visibility(name: str, note_visibility: Visibility | None = None) -> Visibility:
    """The visibility of one field of one entry (the note may be shared by its author)."""
    field = FIELDS_BY_NAME[name]
    if field.author_may_share and note_visibility is not None:
        if note_visibility not in (Visibility.PRIVATE, Visibility.SHARED):
            raise ValueError(f"a partner may not set {name} to {note_visibility}")
        return note_visibility
    return field.visibility


def is_editable(entry_date: dt.date, today: dt.date) -> bool:
    """Whether an entry for ``entry_date`` may still be written or changed on ``today``.

    Today's and yesterday's entries stay open, so an evening entry can be finished
    the next morning; older ones are read-only and future days cannot be filled in.
    """
    age = (today - entry_date).days
    return 0 <= age < EDITABLE_DAYS


def check_scale(value: int) -> int:
    """Validate a rating; raise ``ValueError`` with a plain reason otherwise."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("a rating must be a whole number")
    if not SCALE_MIN <= value <= SCALE_MAX:
        raise ValueError(f"a rating must lie between {SCALE_MIN} and {SCALE_MAX}")
    return value


def streak(dates: set[dt.date], today: dt.date) -> int:
    """Consecutive days with an entry, counting back from today (or yesterday)."""
    day = today if today in dates else today - dt.timedelta(days=1)
    count = 0
    while day in dates:
        count += 1
        day -= dt.timedelta(days=1)
    return count
