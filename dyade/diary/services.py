"""Writing and reading a partner's diary, each with its audit event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from dyade.audit.services import record
from dyade.cases.models import Partner
from dyade.clinic import diary as rules
from dyade.diary.models import DiaryEntry


def save_entry(
    request: HttpRequest, partner: Partner, day: dt.date, data: dict[str, Any]
) -> tuple[DiaryEntry, bool]:
    """Create or update the one entry of ``partner`` for ``day``.

    A second submit of the same form (double click, resend after a dropped
    connection) updates the entry instead of adding one; the database's unique
    constraint catches the case where two requests race.
    """
    values: dict[str, Any] = {}
    for field in rules.FIELDS:
        if field.optional:
            value = data.get(field.name)
            empty: Any = None if field.kind == rules.FieldKind.SCALE else ""
            values[field.name] = empty if value in (None, "") else value
        else:
            values[field.name] = data[field.name]
    values["note_visibility"] = data["note_visibility"]
    for attempt in range(2):
        try:
            with transaction.atomic():
                entry = (
                    DiaryEntry.objects.select_for_update().filter(partner=partner, date=day).first()
                )
                created = entry is None
                if entry is None:
                    entry = DiaryEntry(partner=partner, date=day, **values)
                    entry.save()
                else:
                    for name, value in values.items():
                        setattr(entry, name, value)
                    entry.updated_at = timezone.now()
                    entry.save(update_fields=[*values, "updated_at"])
                record(
                    request,
                    "diary.create" if created else "diary.update",
                    obj=entry,
                    partner=partner,
                    detail=day.isoformat(),
                )
                return entry, created
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


def own_entry(request: HttpRequest, partner: Partner, day: dt.date) -> DiaryEntry | None:
    """The author's own entry for ``day`` (read access is audited)."""
    with transaction.atomic():
        entry = DiaryEntry.objects.filter(partner=partner, date=day).first()
        if entry is not None:
            record(request, "diary.read", obj=entry, partner=partner, detail=day.isoformat())
    return entry
