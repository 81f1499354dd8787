"""A practice's own SD and reliability for reliable change, where a measure's file ships none.

Jacobson & Truax's reliable change needs the outcome measure's standard
deviation and reliability. Dyade ships them only where a publication could be
checked (docs/questionnaires.md); for the CSI-4 and CSI-16 it could not. A
practice admin may enter the values their practice uses, with their source:
they then feed the statuses and the progress signals of that practice's cases
(:mod:`dyade.sessions.progress_series`), and every page that shows such a
status names the source. Values in the instrument file always win.

Saving, changing and removing values are audit-logged; the values are no
client data, so reading them is not.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from dyade.audit.services import record
from dyade.clinic.instruments import Instrument, Visibility
from dyade.content import all_instruments
from dyade.db.once import create_once_by_request_id
from dyade.progress.models import ChangeValues
from dyade.sessions.progress_series import PracticeValues, provide_practice_values


@dataclass(frozen=True)
class Measure:
    """An outcome measure as the practice admin's page lists it."""

    instrument: Instrument
    shipped: bool  # the file ships SD and reliability: the practice's values are not used
    values: ChangeValues | None = None


def measures() -> list[Instrument]:
    """The newest version of every shipped measure with a ``change`` part (direction, cut-off)."""
    newest: dict[str, Instrument] = {}
    for (instrument_id, _version), found in sorted(
        all_instruments().items(), key=lambda item: (item[0][0], int(item[0][1]))
    ):
        if found.change is not None and found.scored and found.visibility != Visibility.CLINICAL:
            newest[instrument_id] = found
    return list(newest.values())


def open_measures() -> list[Instrument]:
    """The measures whose file ships no SD and reliability: the practice may enter them."""
    return [m for m in measures() if m.change is not None and not m.change.computable]


def listing(practice_id: int) -> list[Measure]:
    stored = {v.instrument: v for v in ChangeValues.objects.filter(practice_id=practice_id)}
    return [
        Measure(m, bool(m.change and m.change.computable), stored.get(m.id)) for m in measures()
    ]


def for_practice(practice_id: int) -> PracticeValues:
    """The practice's values by instrument id (one query)."""
    return {
        instrument: (sd, reliability, source)
        for instrument, sd, reliability, source in ChangeValues.objects.filter(
            practice_id=practice_id
        ).values_list("instrument", "sd", "reliability", "source")
    }


def register() -> None:
    """Let the progress series read a practice's values (called when the app loads)."""
    provide_practice_values(for_practice)


def create(
    request: HttpRequest, practice_id: int, data: dict[str, Any], request_id: uuid.UUID | None
) -> tuple[ChangeValues, bool]:
    """Save new values once per form (and once per measure): ``(row, made now)``."""

    def make() -> ChangeValues:
        row = ChangeValues.objects.create(
            practice_id=practice_id,
            instrument=data["instrument"],
            sd=data["sd"],
            reliability=data["reliability"],
            source=data["source"],
            request_id=request_id,
            created_by=request.user,
        )
        record(request, "progress.values.create", obj=row, detail=_detail(row))
        return row

    return create_once_by_request_id(ChangeValues, request_id, make, practice_id=practice_id)


def update(request: HttpRequest, row: ChangeValues, data: dict[str, Any]) -> None:
    with transaction.atomic():
        row.sd = data["sd"]
        row.reliability = data["reliability"]
        row.source = data["source"]
        row.changed_at = timezone.now()
        row.save(update_fields=["sd", "reliability", "source", "changed_at"])
        record(request, "progress.values.update", obj=row, detail=_detail(row))


def delete(request: HttpRequest, row: ChangeValues) -> None:
    with transaction.atomic():
        record(request, "progress.values.delete", obj=row, detail=row.instrument)
        row.delete()


def _detail(row: ChangeValues) -> str:
    return f"{row.instrument} sd {row.sd:g} reliability {row.reliability:g}"
