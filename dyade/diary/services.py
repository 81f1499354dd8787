"""Writing and reading a partner's diary, each with its audit event."""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.http import HttpRequest
from django.utils import timezone

from dyade.audit.services import record
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


def save_entry(
    request: HttpRequest, partner: Partner, day: dt.date, data: dict[str, Any]
) -> tuple[DiaryEntry, bool]:
    """Create or update the one entry of ``partner`` for ``day``: one write transaction.

    The transaction writes the entry (which locks it; on SQLite it takes the
    write lock) and its audit event, and commits. A second submit of
    the same form (double click, resend after a dropped connection) updates the
    entry instead of adding one; the database's unique constraint catches two
    requests that race to create it. If SQLite stays locked for its whole busy
    timeout, the save is tried again, then :class:`Busy` is raised.
    """
    values = _values(data)
    for attempt in range(1, BUSY_ATTEMPTS + 1):
        try:
            try:
                return _write(request, partner, day, values)
            except IntegrityError:
                return _write(request, partner, day, values)  # a racing create won: update
        except OperationalError as exc:
            if not _is_locked(exc):
                raise
            logger.warning("diary save: database is locked (attempt %d)", attempt)
            if attempt == BUSY_ATTEMPTS:
                raise Busy from exc
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")


# The statements of a submit, prepared once (dyade.db.prepared): see _write.
_update_entry = prepared.Updater(
    DiaryEntry, [*ENTRY_FIELDS, "note_visibility", "updated_at"], by=("partner", "date")
)
_disabled_items = prepared.Reader(DiaryItems, by=("case",), fields=("id", "disabled"))


def disabled_items(partner: Partner) -> list[str]:
    """The optional items switched off for the partner's case (no client data).

    A case whose therapist never saved its items asks the short default set.
    """
    items = _disabled_items.first(partner.case_id)
    return list(items.disabled) if items is not None else list(OFF_FOR_A_NEW_CASE)


def _write(
    request: HttpRequest, partner: Partner, day: dt.date, values: dict[str, Any]
) -> tuple[DiaryEntry, bool]:
    """One transaction: update the day's entry (locking it) or create it, and audit it.

    The update comes first and names the entry it changed, so the old answers
    are neither read nor decrypted, and a resend costs the same as a first save.
    """
    now = timezone.now()
    with transaction.atomic():
        changed = _update_entry.run({**values, "updated_at": now}, partner.pk, day)
        entry = DiaryEntry(partner=partner, date=day, **values, updated_at=now)
        if changed:
            entry.pk = changed[0]
            entry._state.adding = False
            case_data_changed.send(DiaryEntry, case_id=partner.case_id)  # no post_save here
        else:
            entry.save(force_insert=True)
        record(
            request,
            "diary.update" if changed else "diary.create",
            obj=entry,
            partner=partner,
            detail=day.isoformat(),
        )
    return entry, not changed


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
