"""A diary send read without building the Django form, when it is plainly valid.

Nearly every send of the diary comes from Dyade's own page and is valid: each
answer is one of the values the page offers. Building the Django form for it
(a bound field per question, each cleaned through its widget, its field and its
validators) costs about as much CPU as a whole signed-in page. :func:`clean`
reads such a send directly and gives what ``DiaryForm.cleaned_data`` would
give; for anything else (a missing answer, a number written as "05", a note
that is too long, an unknown code) it gives ``None`` and the view builds the
form, whose messages the partner then reads. ``tests/test_diary_quick_form.py``
checks, for generated sends of every kind, that whatever :func:`clean` accepts
the form accepts too, with the same values.

No Django here: ``data`` is anything with a ``get`` that gives the text sent for
a name (the last one, as a ``QueryDict`` does), or None.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Collection
from typing import Any, Protocol

from dyade.clinic import diary as rules

_SCALE = {str(n): n for n in range(rules.SCALE_MIN, rules.SCALE_MAX + 1)}
_YES_NO = {"yes": True, "no": False}
_NOTE_VISIBILITY = frozenset({"private", "shared"})  # diary.models.NoteVisibility's values
# The request id exactly as the page writes it (str(uuid.uuid4())); any other
# spelling is left to the form, which reads more of them.
_REQUEST_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
_LARGEST_VERSION = 2**31 - 1


class Sent(Protocol):
    def get(self, key: str, default: Any = None, /) -> Any: ...


class NotPlain(Exception):
    """The send is not plainly valid: the form decides, and says why to the partner."""


def clean(data: Sent, disabled: Collection[str] = ()) -> dict[str, Any] | None:
    """The cleaned answers of a plainly valid send, as the diary form gives them; else None.

    ``disabled`` are the optional items switched off for the case: they are left
    out, as the form leaves them out.
    """
    try:
        return _clean(data, disabled)
    except NotPlain:
        return None


def _clean(data: Sent, disabled: Collection[str]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {
        "request_id": _request_id(_text(data, "request_id")),
        "based_on": _version(_text(data, "based_on")),
    }
    for field in rules.FIELDS:
        if field.optional and field.name in disabled:
            continue
        cleaned[field.name] = _answer(field, _text(data, field.name))
    visibility = _text(data, "note_visibility")
    if visibility not in _NOTE_VISIBILITY:
        raise NotPlain("note_visibility")
    cleaned["note_visibility"] = visibility
    if not cleaned["sexual_contact"]:
        # As the form does: answers about the contact mean nothing on a day without it.
        for field in rules.FIELDS:
            if field.needs_contact and field.name in cleaned:
                cleaned[field.name] = None if field.kind == rules.FieldKind.SCALE else ""
    if rules.check_optional(cleaned, bool(cleaned["sexual_contact"])):
        raise NotPlain("optional items")
    return cleaned


def _text(data: Sent, name: str) -> str | None:
    text = data.get(name)
    if text is not None and not isinstance(text, str):
        raise NotPlain(name)
    return text


def _answer(field: rules.DiaryField, text: str | None) -> Any:
    if field.optional and text in (None, ""):
        return None if field.kind == rules.FieldKind.SCALE else ""
    if field.kind == rules.FieldKind.SCALE:
        value = _SCALE.get(text)
    elif field.kind == rules.FieldKind.YES_NO:
        value = _YES_NO.get(text)
    elif field.kind == rules.FieldKind.CHOICE:
        value = text if text in field.codes else None
    else:  # the note: what the form keeps of it (stripped), if it fits
        return _note(text)
    if value is None:
        raise NotPlain(field.name)
    return value


def _note(text: str | None) -> str:
    if text is None:
        return ""
    if "\x00" in text:
        raise NotPlain("note")
    note = text.strip()
    if len(note) > rules.NOTE_MAX_LENGTH:
        raise NotPlain("note")
    return note


def _request_id(text: str | None) -> uuid.UUID | None:
    if not text:
        return None
    if not _REQUEST_ID.match(text):
        raise NotPlain("request_id")
    return uuid.UUID(text)


def _version(text: str | None) -> int | None:
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 10):
        raise NotPlain("based_on")
    version = int(text)
    if version > _LARGEST_VERSION:
        raise NotPlain("based_on")
    return version
