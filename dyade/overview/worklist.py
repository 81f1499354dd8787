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

from django.db.models import Max, Min, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone

from dyade.cases import policy
from dyade.cases.models import Case, Partner
from dyade.clinic import caseload as rules
from dyade.clinic.snapshot import SnapshotError
from dyade.diary import access as diary_access
from dyade.questionnaires import comparison
from dyade.questionnaires.models import Administration
from dyade.sessions import case_snapshot, labels
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


def narrow_to(track: str) -> Any:
    """A narrowing of the caseload's rows to cases whose current track is ``track``."""
    if not track:
        return None
    current = (
        TrackChange.objects.filter(case=OuterRef("case"))
        .order_by("-changed_at", "-pk")
        .values("track")[:1]
    )

    def narrow(rows: QuerySet[Any]) -> QuerySet[Any]:
        rows = rows.annotate(current_track=Subquery(current))
        if track == NO_TRACK:
            return rows.filter(current_track__isnull=True)
        return rows.filter(current_track=track)

    return narrow


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


def _sessions(cases: Sequence[Case], now: dt.datetime) -> dict[int, dict[str, Any]]:
    held = ~Q(attendance=Attendance.CANCELLED)
    rows = (
        Appointment.objects.filter(case__in=cases)
        .values("case_id")
        .annotate(
            last=Max("starts_at", filter=held & Q(starts_at__lt=now)),
            next=Min("starts_at", filter=Q(attendance=Attendance.PLANNED, starts_at__gte=now)),
        )
    )
    return {row["case_id"]: row for row in rows}


def rows(request: HttpRequest, cases: Sequence[Case]) -> list[Row]:
    """The worklist's rows for ``cases`` (one page), most in need of attention first."""
    user = request.user
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
        CycleVersion.objects.filter(case__in=cases).values_list("case_id", flat=True).distinct()
    )
    sessions = _sessions(cases, now)
    administrations_of = _grouped(administrations)
    monday = week_start(today)
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
        )
        kinds: tuple[str, ...] = ()
        unknown = False
        try:
            views = session_services.signals(request, case, loaded, decisions.get(case.pk, []))
            kinds = tuple(view.signal.kind for view in views if view.open)
        except SnapshotError:
            unknown = True
        week = [
            (p, sum(1 for entry in diary[p.pk] if entry["date"] >= monday)) for p in case_partners
        ]
        waiting = sum(1 for a in own if a.is_open)
        attention = rules.Attention(
            safety=comparison.needs_safety_attention(own),
            signal_kinds=kinds,
            questionnaires_waiting=waiting,
            no_diary_this_week=any(p.user_id for p in case_partners)
            and all(count == 0 for p, count in week if p.user_id),
        )
        session = sessions.get(case.pk, {})
        made.append(
            Row(
                case=case,
                attention=attention,
                track=(tracks.get(case.pk) or [None])[-1],
                last_session=session.get("last"),
                next_session=session.get("next"),
                diary_week=week,
                questionnaires_waiting=waiting,
                open_signals=len(kinds),
                signals_unknown=unknown,
            )
        )
    order = rules.by_attention((row.case.pk, row.attention) for row in made)
    position = {case_id: index for index, case_id in enumerate(order)}
    return sorted(made, key=lambda row: position[row.case.pk])
