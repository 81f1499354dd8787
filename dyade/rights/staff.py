"""What Dyade holds about a therapist, for a written request to the practice (GDPR art. 15).

The copy holds the therapist's account, their own profile (attachment and the
points of balance), the cases assigned to them by their label, and a list of what
they wrote in each case they can open: session observations, decisions on guidance
signals, changes of the track, cycle map versions, and the exercises, questionnaires
and pages they gave. Each record is listed by kind, case and time, without its
clinical content: what a therapist wrote about clients belongs to the clients' record
(WGBO) and is read in the case by its therapists, not handed out in a staff copy.

"What they wrote" is read through the access modules with the therapist's account as
the viewer, so it covers the cases that account can open now; a deactivated account
opens none, and its copy holds the account, the profile and the case labels.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import pgettext

from dyade.cases import policy
from dyade.exercises import access as exercises_access
from dyade.questionnaires import access as questionnaires_access
from dyade.reading import access as reading_access
from dyade.rights import sources
from dyade.rights.collect import header
from dyade.sessions import access as sessions_access

WRITTEN = (
    "observations",
    "signal_decisions",
    "track_changes",
    "cycle_maps",
    "exercises_given",
    "questionnaires_given",
    "pages_given",
)


def therapist_copy(user: Any, *, language: str, reference: str) -> dict[str, Any]:
    copy = header("therapist", language, reference)
    copy["person"] = {
        "name": user.name,
        "email": user.email,
        "role": user.get_role_display(),
        "language": user.get_language_display(),
        "practice": user.practice.name if user.practice_id else "",
        "active": user.is_active,
        "since": user.date_joined,
        "last_login": user.last_login,
    }
    copy["profile"] = sources.therapist_profile(user)
    assigned = list(user.assigned_cases.order_by("label", "pk"))
    copy["cases"] = [{"case": case.label, "kind": case.get_kind_display()} for case in assigned]
    open_now = set(policy.cases_for(user).values_list("pk", flat=True))
    written: dict[str, list[dict[str, Any]]] = {name: [] for name in WRITTEN}
    for case in assigned:
        if case.pk in open_now:
            _written_in(user, case, written)
    copy["written"] = written
    return copy


def _written_in(user: Any, case: Any, written: dict[str, list[dict[str, Any]]]) -> None:
    """Append what ``user`` wrote in ``case``: kind and time only (values, so that no
    encrypted clinical text is even read)."""
    label = case.label
    for day, time in (
        sessions_access.case_observations(user, case)
        .filter(created_by=user)
        .values_list("date", "created_at")
    ):
        written["observations"].append({"case": label, "session": day, "written": time})
    for signal, decision, time in (
        sessions_access.case_signal_decisions(user, case)
        .filter(decided_by=user)
        .values_list("signal", "decision", "decided_at")
    ):
        written["signal_decisions"].append(
            {
                "case": label,
                "signal": signal,
                "decision": pgettext("signal decision", decision),
                "written": time,
            }
        )
    for track, stage, time in (
        sessions_access.case_track_changes(user, case)
        .filter(changed_by=user)
        .values_list("track", "stage", "changed_at")
    ):
        written["track_changes"].append(
            {"case": label, "track": track, "stage": stage, "written": time}
        )
    for time, published in (
        sessions_access.case_cycle_versions(user, case)
        .filter(created_by=user)
        .values_list("created_at", "published_at")
    ):
        written["cycle_maps"].append({"case": label, "written": time, "published": published})
    for slug, time in (
        exercises_access.case_assignments(user, case)
        .filter(assigned_by=user)
        .values_list("slug", "assigned_at")
    ):
        written["exercises_given"].append({"case": label, "exercise": slug, "given": time})
    for instrument, time in (
        questionnaires_access.case_administrations(user, case)
        .filter(assigned_by=user)
        .values_list("instrument", "assigned_at")
    ):
        written["questionnaires_given"].append(
            {"case": label, "questionnaire": instrument, "given": time}
        )
    for slug, time in (
        reading_access.case_readings(user, case)
        .filter(assigned_by=user)
        .values_list("slug", "assigned_at")
    ):
        written["pages_given"].append({"case": label, "page": slug, "given": time})
