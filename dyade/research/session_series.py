"""The ``sessions`` file of a research export: each couple's sessions with their check-ins.

For the couples of an export plan (both partners said yes: see
:func:`dyade.research.access.study_cases`), the sessions in the study period
and the sent check-ins of those sessions are read, a batch of couples at a
time (three queries per batch), and turned into the rows of
:mod:`dyade.clinic.research.sessions` under the couple's pseudonym. The
statuses are worked out as on the therapist's progress page
(:mod:`dyade.sessions.progress_series`); no calendar date leaves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from dyade.cases.models import Partner
from dyade.clinic.research import sessions as table
from dyade.questionnaires.models import Administration, Moment, Status
from dyade.sessions import progress_series
from dyade.sessions.models import Appointment

if TYPE_CHECKING:  # services imports this module
    from dyade.research.services import Plan

ALLIANCE = "dyade-alliance"  # only Dyade's own check has the four exported questions


def _attended(attendance: str, role: str) -> bool | None:
    if attendance == "both":
        return True
    if attendance in ("A", "B"):
        return attendance == role
    if attendance == "cancelled":
        return False
    return None  # planned: who came was not recorded


def _alliance(administration: Any) -> tuple[int | None, ...]:
    if administration is None or administration.instrument != ALLIANCE:
        return (None,) * len(table.ALLIANCE_ITEMS)
    answers = administration.answers
    return tuple(
        value if isinstance(value, int) and not isinstance(value, bool) else None
        for value in (answers.get(str(n)) for n in range(1, len(table.ALLIANCE_ITEMS) + 1))
    )


def entries(rows: list[progress_series.SessionRow], slots: list[str]) -> list[table.SessionEntry]:
    """The rows of one couple as entries of :func:`dyade.clinic.research.sessions.rows`."""
    if not rows:
        return []
    statuses = progress_series.snapshot_progress(rows, slots)
    first = timezone.localtime(rows[0].starts_at).date()
    found: list[table.SessionEntry] = []
    for index, row in enumerate(rows):
        day = (timezone.localtime(row.starts_at).date() - first).days
        for slot in slots:
            score = row.outcome.get(slot)
            outcome = None
            if score is not None and float(score.value).is_integer():
                outcome = int(score.value)
            status = statuses[slot]["statuses"][index] if slot in statuses else None
            found.append(
                (
                    slot,
                    row.number,
                    day,
                    _attended(row.attendance, slot),
                    score.instrument.id if score is not None else "",
                    outcome,
                    status,
                    _alliance(row.check_ins.get((Moment.AFTER, slot))),
                )
            )
    return found


def couple_rows(study_plan: Plan) -> Iterator[list[list[Any]]]:
    """Each couple's rows of ``sessions`` as CSV text, in the order of the plan."""
    study = study_plan.study
    now = timezone.now()
    for batch in study_plan.batches():
        ids = [couple.case.pk for couple in batch]
        sessions = Appointment.objects.filter(
            case_id__in=ids, starts_at__date__gte=study.data_from
        ).only("id", "case_id", "starts_at", "attendance")
        if study.data_until is not None:
            sessions = sessions.filter(starts_at__date__lte=study.data_until)
        by_case: dict[int, list[Appointment]] = defaultdict(list)
        for appointment in sessions:
            by_case[appointment.case_id].append(appointment)
        check_ins: dict[int, list[Administration]] = defaultdict(list)
        found = Administration.objects.filter(
            case_id__in=ids,
            appointment__starts_at__date__gte=study.data_from,
            moment__in=(Moment.BEFORE, Moment.AFTER),
            status=Status.SUBMITTED,
        )
        if study.data_until is not None:
            found = found.filter(appointment__starts_at__date__lte=study.data_until)
        for administration in found:
            check_ins[administration.case_id].append(administration)
        slots: dict[int, dict[int, str]] = defaultdict(dict)
        for pk, case_id, slot in Partner.objects.filter(case_id__in=ids).values_list(
            "pk", "case_id", "slot"
        ):
            slots[case_id][pk] = slot
        for couple in batch:
            case_id = couple.case.pk
            rows = progress_series.rows(
                by_case.get(case_id, []), check_ins.get(case_id, []), slots[case_id], now=now
            )
            yield table.rows(couple.dyad, entries(rows, sorted(slots[case_id].values())), csv=True)
