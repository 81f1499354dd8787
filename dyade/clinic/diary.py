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
    CHOICE = "choice"  # one code of the field's ``codes``


@dataclass(frozen=True)
class DiaryField:
    name: str
    kind: FieldKind
    visibility: Visibility
    author_may_share: bool = False  # the author may raise PRIVATE to SHARED per entry
    optional: bool = False  # may stay empty; a case's therapist may switch it off
    codes: tuple[str, ...] = ()  # for CHOICE fields
    needs_contact: bool = False  # only asked about a day with sexual contact


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
    # Around sex and about the partner (Dewitte 2019, seed 003). What happened
    # between them is shared; how it felt, why, and how one reads the other is
    # private: the last two are the input to Truth and Bias (West & Kenny 2011).
    DiaryField(
        "contact_kind",
        FieldKind.CHOICE,
        Visibility.SHARED,
        optional=True,
        codes=("affection", "touch", "intercourse", "other"),
        needs_contact=True,
    ),
    DiaryField(
        "initiator",
        FieldKind.CHOICE,
        Visibility.SHARED,
        optional=True,
        codes=("me", "partner", "both"),
        needs_contact=True,
    ),
    DiaryField(
        "bid_answer",
        FieldKind.CHOICE,
        Visibility.SHARED,
        optional=True,
        codes=("no-bid", "accepted", "loving-boundary", "declined"),
    ),
    DiaryField(
        "sexual_satisfaction",
        FieldKind.SCALE,
        Visibility.PRIVATE,
        optional=True,
        needs_contact=True,
    ),
    DiaryField(
        "motive",
        FieldKind.CHOICE,
        Visibility.PRIVATE,
        optional=True,
        codes=("closeness", "pleasure", "avoid-fight", "keep-peace", "other"),
        needs_contact=True,
    ),
    DiaryField("perceived_desire", FieldKind.SCALE, Visibility.PRIVATE, optional=True),
    DiaryField("perceived_mood", FieldKind.SCALE, Visibility.PRIVATE, optional=True),
)
FIELDS_BY_NAME = {field.name: field for field in FIELDS}
OPTIONAL = tuple(field.name for field in FIELDS if field.optional)
APPROACH_MOTIVES = frozenset({"closeness", "pleasure"})
AVOIDANCE_MOTIVES = frozenset({"avoid-fight", "keep-peace"})


def check_optional(values: dict[str, object], sexual_contact: bool) -> dict[str, str]:
    """Problems with the optional items of one entry, by field name (empty when fine).

    Items about the contact itself make sense only on a day with sexual contact.
    """
    problems: dict[str, str] = {}
    for name in OPTIONAL:
        field = FIELDS_BY_NAME[name]
        value = values.get(name)
        if value in (None, ""):
            continue
        if field.needs_contact and not sexual_contact:
            problems[name] = "only on a day with sexual contact"
        elif field.kind == FieldKind.CHOICE and value not in field.codes:
            problems[name] = "not one of the choices"
        elif field.kind == FieldKind.SCALE:
            try:
                check_scale(value)  # type: ignore[arg-type]
            except ValueError as error:
                problems[name] = str(error)
    return problems


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
