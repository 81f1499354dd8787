"""The columns of the caseload worklist, read for the cases of one page at once.

For the cases on one page of :mod:`dyade.cases.caseload` this reads, in a fixed
number of queries whatever the page holds and however large the caseload is:
the questionnaires (for the safety state and those still open), four weeks of the
diary without notes (for the guidance and the diary days of this week), the
observations, the track, whether a cycle map exists, the signal decisions and the
sessions. Then the guidance runs per case on what was read (no query), exactly as
on the case page, and each case gets its :class:`dyade.clinic.caseload.Attention`.

Access: only cases that carry the policy core's proof that the viewer is their
therapist (``policy.assigned_cases``, given by the caseload's page) are read; every
read below is limited to those cases, as the access modules limit theirs to one
case. The diary is read through ``dyade.diary.access`` (relation per partner).
The list shows no detail of a safety screen or a signal: only that one needs
attention, and the kind of the most urgent signal.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from dyade.cases import policy
from dyade.cases.models import Case, Partner
from dyade.clinic import caseload as rules
from dyade.clinic import guidance
from dyade.clinic import snapshot as snapshot_core
from dyade.clinic.snapshot import SnapshotError
from dyade.diary import access as diary_access
from dyade.overview import tracks
from dyade.progress.display import STATUS_LABELS
from dyade.questionnaires import comparison
from dyade.questionnaires.models import Administration
from dyade.sessions import case_snapshot, labels, progress_series
from dyade.sessions import services as session_services
from dyade.sessions.models import (
    Appointment,
    Attendance,
    CycleVersion,
    Observation,
    SignalDecision,
    TrackChange,
    TrackName,
)

NO_TRACK = "none"
TRACKS = TrackName.choices


def track_filter(value: str | None) -> str:
    """The track filter from a query string: a track's name, "none", or "" (any track)."""
    return value if value in (*TrackName.values, NO_TRACK) else ""


def stored_track(track: str) -> str | None:
    """The track filter as the states store it (``tracks.NONE`` for "none"); None: any."""
    if not track:
        return None
    return tracks.NONE if track == NO_TRACK else track


@dataclass
class Row:
    """One line of the worklist."""

    case: Case
    attention: rules.Attention
    track: TrackChange | None = None
    last_session: dt.datetime | None = None
    next_session: dt.datetime | None = None
    diary_week: list[tuple[Partner, int]] = field(default_factory=list)
    questionnaires_waiting: int = 0
    open_signals: int = 0
    signals_unknown: bool = False  # the guidance could not read this case's data
    progress: list[tuple[Partner, str]] = field(default_factory=list)  # latest status each

    @property
    def progress_labels(self) -> list[tuple[Partner, str, bool]]:
        """Each partner's latest status in words, and whether it is a reliable worsening."""
        return [
            (p, str(STATUS_LABELS.get(status, status)), status == "deteriorated")
            for p, status in self.progress
        ]

    @property
    def first_kind_label(self) -> str:
        kind = self.attention.first_kind
        return str(labels.KINDS.get(kind, kind)) if kind else ""


def week_start(today: dt.date) -> dt.date:
    """Monday of the week ``today`` is in."""
    return today - dt.timedelta(days=today.weekday())


def _grouped(items: Sequence[Any]) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = defaultdict(list)
    for item in items:
        found[item.case_id].append(item)
    return found


def _last_and_next(
    appointments: Sequence[Appointment], now: dt.datetime
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The last session that took place (not cancelled) and the next one planned."""
    past = [
        a.starts_at
        for a in appointments
        if a.starts_at < now and a.attendance != Attendance.CANCELLED
    ]
    coming = [
        a.starts_at
        for a in appointments
        if a.starts_at >= now and a.attendance == Attendance.PLANNED
    ]
    return (max(past) if past else None, min(coming) if coming else None)


def progress_of(data: dict[str, Any]) -> dict[str, str]:
    """Each partner's latest status after a session (reliable change), from the snapshot.

    The one place the worklist reads progress: the snapshot's ``progress`` part of
    each partner (``dyade.sessions.progress_series``); a partner without check-ins,
    or whose latest session has no status, is left out.
    """
    found: dict[str, str] = {}
    for slot, part in (data.get("partners") or {}).items():
        statuses = [s for s in ((part.get("progress") or {}).get("statuses") or []) if s]
        if statuses:
            found[slot] = statuses[-1]
    return found


def _open_signal_kinds(
    data: dict[str, Any], decisions: Sequence[SignalDecision]
) -> tuple[str, ...]:
    """The kinds of the signals that fire on ``data`` with no decision on the same reasons."""
    decided = {(d.signal, d.fingerprint) for d in decisions}
    fired = guidance.evaluate(snapshot_core.parse(data))
    return tuple(
        signal.kind
        for signal in fired
        if (signal.id, session_services.fingerprint(signal)) not in decided
    )


def rows(request: HttpRequest, cases: Sequence[Case]) -> list[Row]:
    """The worklist's rows for ``cases`` (one page), most in need of attention first."""
    return rows_for(request.user, cases)


def rows_for(user: Any, cases: Sequence[Case]) -> list[Row]:
    """The rows of ``cases`` as ``user`` (their therapist) sees them, most in need first.

    The page passes its request's user; the background refresh of the stored order
    (``dyade/overview/attention.py``) passes each therapist in turn.
    """
    cases = [case for case in cases if policy.is_case_therapist(user, case)]  # proven: no query
    if not cases:
        return []
    today = timezone.localdate()
    now = timezone.now()
    partners = [partner for case in cases for partner in case.partners.all()]
    by_id = {partner.pk: partner for partner in partners}
    administrations = list(Administration.objects.filter(case__in=cases))
    for administration in administrations:  # the partner objects already read
        administration.partner = by_id[administration.partner_id]
    diary = diary_access.visible_window(
        user, partners, case_snapshot.diary_since(today), today, notes=False
    )
    observations = _grouped(Observation.objects.filter(case__in=cases).defer("note"))
    tracks = _grouped(TrackChange.objects.filter(case__in=cases))
    decisions = _grouped(
        SignalDecision.objects.filter(case__in=cases).defer("reasons_json", "reason")
    )
    mapped = set(
        CycleVersion.objects.filter(case__in=cases)
        .order_by()
        .values_list("case_id", flat=True)
        .distinct()
    )
    appointments = _grouped(Appointment.objects.filter(case__in=cases))
    administrations_of = _grouped(administrations)
    monday = week_start(today)
    change_values = progress_series.practice_values(user.practice_id)  # once, not per case
    made = []
    for case in cases:
        own = administrations_of.get(case.pk, [])
        case_partners = list(case.partners.all())
        loaded = case_snapshot.Loaded(
            partners=case_partners,
            administrations=own,
            diary={p.pk: diary[p.pk] for p in case_partners},
            observations=observations.get(case.pk, []),
            track_changes=tracks.get(case.pk, []),
            cycle_mapped=case.pk in mapped,
            change_values=change_values,
        )
        # The sessions too, for the guidance's progress part where the snapshot reads them.
        loaded.appointments = appointments.get(case.pk, [])  # type: ignore[attr-defined]
        kinds: tuple[str, ...] = ()
        progress: dict[str, str] = {}
        unknown = False
        try:
            data = case_snapshot.build(case, user, today, loaded)
            progress = progress_of(data)
            if case.is_open:  # a closed case asks for nothing more: no guidance is run
                kinds = _open_signal_kinds(data, decisions.get(case.pk, []))
        except SnapshotError:
            unknown = True
        week = [
            (p, sum(1 for entry in diary[p.pk] if entry["date"] >= monday)) for p in case_partners
        ]
        waiting = sum(1 for a in own if a.is_open)
        attention = rules.Attention(
            safety=comparison.needs_safety_attention(own),
            signal_kinds=kinds,
            progress="deteriorated" if "deteriorated" in progress.values() else "",
            questionnaires_waiting=waiting,
            no_diary_this_week=any(p.user_id for p in case_partners)
            and all(count == 0 for p, count in week if p.user_id),
        )
        last, coming = _last_and_next(appointments.get(case.pk, []), now)
        made.append(
            Row(
                case=case,
                attention=attention,
                track=(tracks.get(case.pk) or [None])[-1],
                last_session=last,
                next_session=coming,
                progress=[(p, progress[p.slot]) for p in case_partners if p.slot in progress],
                diary_week=week,
                questionnaires_waiting=waiting,
                open_signals=len(kinds),
                signals_unknown=unknown,
            )
        )
    order = rules.by_attention((row.case.pk, row.attention) for row in made)
    position = {case_id: index for index, case_id in enumerate(order)}
    return sorted(made, key=lambda row: position[row.case.pk])
