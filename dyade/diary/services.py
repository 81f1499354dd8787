"""Writing and reading a partner's diary, each with its audit event."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import logging
import time
import uuid
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.http import HttpRequest
from django.utils import timezone

from dyade.audit.services import Named, Outcome, record
from dyade.cases.changes import case_data_changed
from dyade.cases.models import Partner
from dyade.clinic import diary as rules
from dyade.db import prepared
from dyade.diary.defaults import OFF_FOR_A_NEW_CASE
from dyade.diary.models import DiaryEntry, DiaryItems

logger = logging.getLogger(__name__)

# How often a save is tried when SQLite stays locked for its whole busy timeout.
BUSY_ATTEMPTS = 3


class Busy(Exception):
    """The database stayed locked at every attempt: nothing was saved; the form may be resent."""


ENTRY_FIELDS = [field.name for field in rules.FIELDS]


def _values(data: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in rules.FIELDS:
        if field.optional:
            value = data.get(field.name)
            empty: Any = None if field.kind == rules.FieldKind.SCALE else ""
            values[field.name] = empty if value in (None, "") else value
        else:
            values[field.name] = data[field.name]
    values["note_visibility"] = data["note_visibility"]
    return values


def _is_locked(exc: OperationalError) -> bool:
    """SQLite's "database is locked": raised only when a write transaction begins
    (dyade.sqlite takes the lock there), so nothing was written and a retry is safe."""
    return "database is locked" in str(exc)


class Saved(enum.Enum):
    """What became of one send of the diary form."""

    CREATED = "created"  # the day's first entry
    UPDATED = "updated"  # the entry now holds these answers
    REPEAT = "repeat"  # the same form with the same answers again: nothing written
    NEWER = "newer"  # the entry changed after this form was filled in: nothing written


def save_entry(request: HttpRequest, partner: Partner, day: dt.date, data: dict[str, Any]) -> Saved:
    """Save one send of the diary form for ``partner`` and ``day``: one write transaction.

    A form carries ``request_id`` (made when its page was shown, or when the phone
    kept it offline) and ``based_on``, the version of the entry it was filled in on
    (0: there was none). The send is applied when the entry is still that version;
    the same form sent again is counted once; a send based on an older version does
    not overwrite the newer answers (:attr:`Saved.NEWER`, the view tells the
    partner and keeps what they sent on the screen). A form without ``based_on``
    (a page from before versions) changes the entry as it is. The database's
    unique constraint catches two requests that race to create the day's entry.
    If SQLite stays locked for its whole busy timeout, the save is tried again,
    then :class:`Busy` is raised.
    """
    values = _values(data)
    send = Send(data.get("request_id"), data.get("based_on"))
    for attempt in range(1, BUSY_ATTEMPTS + 1):
        try:
            try:
                return _write(request, partner, day, values, send, first=True)
            except IntegrityError:  # a racing save won, or the day was saved meanwhile
                return _write(request, partner, day, values, send, first=False)
        except OperationalError as exc:
            if not _is_locked(exc):
                raise
            logger.warning("diary save: database is locked (attempt %d)", attempt)
            if attempt == BUSY_ATTEMPTS:
                raise Busy from exc
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")


@dataclasses.dataclass(frozen=True)
class Send:
    request_id: uuid.UUID | None
    based_on: int | None


# The statements of a submit, prepared once (dyade.db.prepared): see _write.
_WRITTEN = [*ENTRY_FIELDS, "note_visibility", "updated_at", "version", "request_id"]
_update_entry = prepared.Updater(DiaryEntry, _WRITTEN, by=("partner", "date", "version"))
_stored_entry = prepared.Reader(DiaryEntry, by=("partner", "date"))
_disabled_items = prepared.Reader(DiaryItems, by=("case",), fields=("id", "disabled"))


def disabled_items(partner: Partner) -> list[str]:
    """The optional items switched off for the partner's case (no client data).

    A case whose therapist never saved its items asks the short default set.
    """
    items = _disabled_items.first(partner.case_id)
    return list(items.disabled) if items is not None else list(OFF_FOR_A_NEW_CASE)


def _write(
    request: HttpRequest,
    partner: Partner,
    day: dt.date,
    values: dict[str, Any],
    send: Send,
    *,
    first: bool,
) -> Saved:
    """One transaction: change the entry if it is still the version the form was
    filled in on, else decide from the stored entry; audit what happened.

    The common send (the entry unchanged since its page was shown) is one
    ``UPDATE ... WHERE version = based_on`` that names the entry it changed, so
    the old answers are neither read nor decrypted; a form filled in on a day
    without an entry (``based_on`` 0) is inserted at once (``first``; if the day
    was saved meanwhile, the insert fails and the send is tried again without
    ``first``). Only a send that does not match (a resend, a form from before a
    later change) reads the stored entry.
    """
    now = timezone.now()
    with transaction.atomic():
        if first and send.based_on == 0:
            return _insert(request, partner, day, values, send, now)
        if send.based_on is not None:
            changed = _update(partner, day, values, send, send.based_on, now)
            if changed is not None:
                return _audited(request, partner, day, Named(DiaryEntry, changed), Saved.UPDATED)
        stored = _stored_entry.first(partner.pk, day)
        if stored is None:
            return _insert(request, partner, day, values, send, now)
        how = _decide(stored, values, send)
        if how is Saved.UPDATED:
            changed = _update(partner, day, values, send, stored.version, now)
            if changed is None:  # changed by another request since it was read
                raise IntegrityError("the diary entry changed while it was saved")
            return _audited(request, partner, day, Named(DiaryEntry, changed), how)
        return _audited(request, partner, day, stored, how)


def _insert(
    request: HttpRequest,
    partner: Partner,
    day: dt.date,
    values: dict[str, Any],
    send: Send,
    now: dt.datetime,
) -> Saved:
    entry = DiaryEntry(
        partner=partner, date=day, **values, updated_at=now, request_id=send.request_id
    )
    entry.save(force_insert=True)
    return _audited(request, partner, day, entry, Saved.CREATED)


def _decide(stored: DiaryEntry, values: dict[str, Any], send: Send) -> Saved:
    """What a send that did not match the stored version does (see :func:`save_entry`)."""
    if send.request_id is not None and stored.request_id == send.request_id:
        same = all(getattr(stored, name) == value for name, value in values.items())
        return Saved.REPEAT if same else Saved.UPDATED  # the same form, changed and sent again
    if send.based_on is None:
        return Saved.UPDATED  # a page from before versions: it changes the entry as it is
    return Saved.NEWER


def _update(
    partner: Partner,
    day: dt.date,
    values: dict[str, Any],
    send: Send,
    version: int,
    now: dt.datetime,
) -> int | None:
    """Change the entry if it is still ``version``; the changed entry's key, or None."""
    written = {**values, "updated_at": now, "version": version + 1, "request_id": send.request_id}
    changed = _update_entry.run(written, partner.pk, day, version)
    if not changed:
        return None
    case_data_changed.send(DiaryEntry, case_id=partner.case_id)  # no post_save here
    return int(changed[0])


_DETAIL = {
    Saved.CREATED: "",
    Saved.UPDATED: "",
    Saved.REPEAT: " sent again, nothing changed",
    Saved.NEWER: " not applied: changed later elsewhere",
}


def _audited(
    request: HttpRequest, partner: Partner, day: dt.date, entry: DiaryEntry | Named, how: Saved
) -> Saved:
    record(
        request,
        "diary.create" if how is Saved.CREATED else "diary.update",
        obj=entry,
        partner=partner,
        outcome=Outcome.DENIED if how is Saved.NEWER else Outcome.SUCCESS,
        detail=f"{day.isoformat()}{_DETAIL[how]}",
    )
    return how


def entry_exists(partner: Partner, day: dt.date) -> bool:
    """Whether ``partner`` wrote anything for ``day`` (reads no client data)."""
    return DiaryEntry.objects.filter(partner=partner, date=day).exists()


def own_entry(request: HttpRequest, partner: Partner, day: dt.date) -> DiaryEntry | None:
    """The author's own entry for ``day`` (read access is audited)."""
    with transaction.atomic():
        entry = DiaryEntry.objects.filter(partner=partner, date=day).first()
        if entry is not None:
            record(request, "diary.read", obj=entry, partner=partner, detail=day.isoformat())
    return entry
