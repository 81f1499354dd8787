"""Build the guidance snapshot of a case from what is stored about it.

Reads the partners' newest sent intake, ECR-R and HITS, a summary of the last
four weeks of their diaries, the therapist's observations, the track, whether a
cycle map exists, and the *viewing* therapist's own profile (the room is the
couple and the therapist looking at it). Only values that were answered go in;
everything else stays unknown. Callers must have checked access with the
policy; every read is written to the audit trail by the caller's view.
"""

from __future__ import annotations

import datetime as dt
from statistics import fmean
from typing import Any

from dyade.cases.models import Case
from dyade.clinic import intake
from dyade.clinic import snapshot as core
from dyade.questionnaires import comparison
from dyade.questionnaires.models import Administration
from dyade.questionnaires.services import scores_of

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


def _diary(partner: Any, today: dt.date) -> dict[str, Any] | None:
    entries = list(partner.diary_entries.filter(date__gt=today - dt.timedelta(days=DIARY_DAYS)))
    if not entries:
        return None
    summary: dict[str, Any] = {
        "days": len(entries),
        "conflict_days": sum(1 for e in entries if e.conflict is True),
        "sexual_contact_days": sum(1 for e in entries if e.sexual_contact is True),
    }
    for name in ("closeness", "desire"):
        values = [getattr(e, name) for e in entries if getattr(e, name) is not None]
        if values:
            summary[f"{name}_mean"] = round(fmean(values), 2)
    return summary


def build(case: Case, viewer: Any, today: dt.date) -> dict[str, Any]:
    """The snapshot of ``case`` as the viewing therapist ``viewer`` sees the room (JSON form)."""
    administrations = list(Administration.objects.filter(case=case).select_related("partner"))
    latest = comparison.latest_sent(administrations)
    partners: dict[str, Any] = {}
    diary: dict[str, Any] = {}
    for partner in case.partners.all():
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
        if part:
            partners[slot] = part
        summary = _diary(partner, today)
        if summary is not None:
            diary[slot] = summary
    data: dict[str, Any] = {}
    if partners:
        data["partners"] = partners
    if diary:
        data["diary"] = diary
    observations = [obs.as_snapshot() for obs in case.observations.all()]
    if observations:
        data["observations"] = observations
    profile = getattr(viewer, "reflection_profile", None) if viewer is not None else None
    if profile is not None:
        therapist = profile.as_snapshot()
        if therapist:
            data["therapist"] = therapist
    current = case.track_changes.last()
    if current is not None:
        data["track"] = {"name": current.track}
        if current.track == "eft" and current.stage:
            data["track"]["stage"] = current.stage
    if case.cycle_versions.exists():
        data["cycle_mapped"] = True
    return data
