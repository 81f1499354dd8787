"""Build the guidance snapshot of a case from what is stored about it.

Reads the partners' newest sent intake, ECR-R and HITS, a summary of the last
four weeks of their diaries, their session check-ins (the status after each
session and the alliance check, :mod:`dyade.sessions.progress_series`), the
therapist's observations, the track, whether a
cycle map exists, and the *viewing* therapist's own profile (the room is the
couple and the therapist looking at it). Only values that were answered go in;
everything else stays unknown. Callers must have checked access with the
policy; every read is written to the audit trail by the caller's view.

A page that has already read some of this (the partners, the questionnaires,
a window of the diary, the observations, the track) hands it over in
:class:`Loaded`, and only the rest is read here, through the access modules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import Any

from django.utils import timezone

from dyade.cases.models import Case, Partner
from dyade.clinic import intake
from dyade.clinic import snapshot as core
from dyade.diary import access as diary_access
from dyade.questionnaires import access as questionnaires_access
from dyade.questionnaires import comparison
from dyade.questionnaires.models import Administration
from dyade.questionnaires.services import scores_of
from dyade.sessions import access, progress_series
from dyade.sessions.models import Appointment, Observation, TrackChange

DIARY_DAYS = 28
_INTAKE_INTEGERS = {
    "love": "commitment.love",
    "detachment": "commitment.detachment",
    "motivation": "commitment.motivation",
    "desire": "sex.desire",
    "sexual_satisfaction": "sex.satisfaction",
    "sexual_self_knowledge": "desire.knowledge",
}
_SAFETY = {
    "physical": "safety.physical",
    "psychological": "safety.psychological",
    "coercion": "safety.coercion",
    "own": "safety.own",
    "fear": "safety.fear",
    "joint_sessions": "safety.joint-sessions",
}
_HEALTH = {
    "dysfunction": "health.dysfunction",
    "illness": "health.illness",
    "disability": "health.disability",
    "paraphilia": "health.paraphilia",
    "medication": "health.medication",
    "linked_to_sex": "health.linked",
    "sexual_pain": "sex.pain",
}


def _intake_part(answers: dict[str, Any]) -> dict[str, Any]:
    part: dict[str, Any] = {}
    if answers.get("commitment.continue") in core.WISHES:
        part["wish_to_continue"] = answers["commitment.continue"]
    for key, link_id in _INTAKE_INTEGERS.items():
        if isinstance(answers.get(link_id), int):
            part[key] = answers[link_id]
    daily = intake.daily_position(answers)
    sexual = intake.sexual_position(answers)
    if daily is not None:
        part["daily_position"] = daily.value
    if sexual is not None:
        part["sexual_position"] = sexual.value
    if "sex.motives" in answers:
        part["avoidance_motives"] = intake.motives(answers)[1]
    balance = {
        name: answers[f"balance.{name}"]
        for name in core.BALANCE_POINTS
        if isinstance(answers.get(f"balance.{name}"), int)
    }
    if balance:
        part["balance"] = balance
    safety = {key: answers[link] for key, link in _SAFETY.items() if link in answers}
    if safety:
        part["safety"] = safety
    health = {
        key: answers[link]
        for key, link in _HEALTH.items()
        if answers.get(link) in (*core.HEALTH, *core.PAIN)
    }
    if health:
        part["health"] = health
    return part


@dataclass
class Loaded:
    """What a page already read about the case; ``None`` means "not read, read it here".

    ``diary`` maps a partner's id to their entries as :mod:`dyade.diary.access`
    gives them (any window that holds the last :data:`DIARY_DAYS` days);
    ``track_changes`` is every change of the case, oldest first.
    """

    partners: Sequence[Partner] | None = None
    administrations: Sequence[Administration] | None = None
    diary: Mapping[int, Sequence[Mapping[str, Any]]] | None = None
    observations: Sequence[Observation] | None = None
    track_changes: Sequence[TrackChange] | None = None
    cycle_mapped: bool | None = None
    appointments: Sequence[Appointment] | None = None
    # the practice's own values for reliable change (progress_series.practice_values)
    change_values: progress_series.PracticeValues | None = None


def diary_since(today: dt.date) -> dt.date:
    """The first day of the diary the snapshot summarises."""
    return today - dt.timedelta(days=DIARY_DAYS - 1)


def _diary(entries: Sequence[Mapping[str, Any]], today: dt.date) -> dict[str, Any] | None:
    first = diary_since(today)
    entries = [e for e in entries if first <= e["date"] <= today]
    if not entries:
        return None
    summary: dict[str, Any] = {
        "days": len(entries),
        "conflict_days": sum(1 for e in entries if e.get("conflict") is True),
        "sexual_contact_days": sum(1 for e in entries if e.get("sexual_contact") is True),
    }
    for name in ("closeness", "desire"):
        values = [e[name] for e in entries if e.get(name) is not None]
        if values:
            summary[f"{name}_mean"] = round(fmean(values), 2)
    return summary


@dataclass
class _Read:
    partners: Sequence[Partner]
    administrations: Sequence[Administration]
    diary: Mapping[int, Sequence[Mapping[str, Any]]]
    observations: Sequence[Observation]
    track_changes: Sequence[TrackChange]
    cycle_mapped: bool
    appointments: Sequence[Appointment]


def _complete(case: Case, viewer: Any, today: dt.date, loaded: Loaded) -> _Read:
    """``loaded`` with what it lacks read through the access modules (for ``viewer``)."""
    partners = list(case.partners.all()) if loaded.partners is None else loaded.partners
    administrations = loaded.administrations
    if administrations is None:
        administrations = list(questionnaires_access.case_administrations(viewer, case))
    diary = loaded.diary
    if diary is None:
        first = diary_since(today)
        diary = diary_access.visible_window(viewer, partners, first, today, notes=False)
    observations = loaded.observations
    if observations is None:
        observations = list(access.case_observations(viewer, case).defer("note"))
    track_changes = loaded.track_changes
    if track_changes is None:
        track_changes = list(access.case_track_changes(viewer, case))
    cycle_mapped = loaded.cycle_mapped
    if cycle_mapped is None:
        cycle_mapped = access.case_cycle_versions(viewer, case).exists()
    appointments = loaded.appointments
    if appointments is None:
        appointments = list(access.case_appointments(viewer, case))
    return _Read(
        partners, administrations, diary, observations, track_changes, cycle_mapped, appointments
    )


def build(case: Case, viewer: Any, today: dt.date, loaded: Loaded | None = None) -> dict[str, Any]:
    """The snapshot of ``case`` as the viewing therapist ``viewer`` sees the room (JSON form)."""
    loaded = loaded or Loaded()
    given = _complete(case, viewer, today, loaded)
    latest = comparison.latest_sent(list(given.administrations))
    progress = _progress(given, case.practice_id, loaded.change_values)
    partners: dict[str, Any] = {}
    diary: dict[str, Any] = {}
    for partner in given.partners:
        slot = partner.slot
        part: dict[str, Any] = {}
        sent_intake = latest.get((slot, comparison.INTAKE_ID))
        if sent_intake is not None:
            part.update(_intake_part(sent_intake.answers))
        ecr = latest.get((slot, "ecr-r"))
        scored = scores_of(ecr) if ecr is not None else None
        if scored is not None:
            scores = scored[0]
            if scores.get("anxiety") is not None:
                part["attachment_anxiety"] = round(float(scores["anxiety"]), 2)  # type: ignore[arg-type]
            if scores.get("avoidance") is not None:
                part["attachment_avoidance"] = round(float(scores["avoidance"]), 2)  # type: ignore[arg-type]
        hits = latest.get((slot, "hits"))
        hits_scored = scores_of(hits) if hits is not None else None
        if hits_scored is not None and hits_scored[0].get("total") is not None:
            part.setdefault("safety", {})["hits_total"] = int(hits_scored[0]["total"])  # type: ignore[arg-type]
        if slot in progress:
            part["progress"] = progress[slot]
        if part:
            partners[slot] = part
        summary = _diary(given.diary.get(partner.pk, []), today)
        if summary is not None:
            diary[slot] = summary
    data: dict[str, Any] = {}
    if partners:
        data["partners"] = partners
    if diary:
        data["diary"] = diary
    observations = [obs.as_snapshot() for obs in in_order(given.observations)]
    if observations:
        data["observations"] = observations
    profile = getattr(viewer, "reflection_profile", None) if viewer is not None else None
    if profile is not None:
        therapist = profile.as_snapshot()
        if therapist:
            data["therapist"] = therapist
    track = track_of(given.track_changes)
    if track:
        data["track"] = track
    data["case"] = {"kind": case.kind}
    if given.cycle_mapped:
        data["cycle_mapped"] = True
    return data


def _progress(
    given: _Read, practice_id: int, values: progress_series.PracticeValues | None
) -> dict[str, Any]:
    """Each partner's session check-ins as the snapshot holds them (statuses and alliance;
    the practice's own values for reliable change where the measure ships none)."""
    slot_of = {partner.pk: partner.slot for partner in given.partners}
    rows = progress_series.rows(
        given.appointments,
        given.administrations,
        slot_of,
        now=timezone.now(),
        practice_id=practice_id,
        values=values,
    )
    return progress_series.snapshot_progress(rows, [partner.slot for partner in given.partners])


def track_of(changes: Sequence[TrackChange]) -> dict[str, Any]:
    """The current track, and what moved the case onto it.

    A change of EFT stage keeps the case on the same track, so the reason for the
    track is that of the first change of the newest run of one track name.
    """
    if not changes:
        return {}
    current = changes[-1]
    track: dict[str, Any] = {"name": current.track}
    if current.track == "eft" and current.stage:
        track["stage"] = current.stage
    start = current
    for change in reversed(changes):
        if change.track != current.track:
            break
        start = change
    if start.signals:
        track["switched_for"] = list(start.signals)
    track["since"] = timezone.localtime(start.changed_at).date().isoformat()
    return track


def in_order(observations: Sequence[Observation]) -> list[Observation]:
    """Oldest first, as the model orders them (a page may hold them newest first)."""
    return sorted(observations, key=lambda o: (o.date, o.created_at, o.pk))
