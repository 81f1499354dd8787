"""Who may see which exercises, logs and answers, built on the policy core."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from dyade.cases import policy
from dyade.cases.models import Case, Partner
from dyade.clinic import exercises as rules
from dyade.clinic.visibility import Relation, Visibility, may_see
from dyade.exercises.models import Answers, Assignment, Entry, Log


def case_assignments(user: Any, case: Case) -> QuerySet[Assignment]:
    if not policy.is_case_therapist(user, case):
        return Assignment.objects.none()
    return Assignment.objects.filter(case=case).select_related("partner")


def partner_assignments(partner: Partner) -> QuerySet[Assignment]:
    """The exercises a partner has: the couple's and their own, never the other partner's own.

    Not scoped to a viewer: for a partner's own pages (:func:`own_assignments`) and
    for the background work done on the partner's behalf (reminders).
    """
    return Assignment.objects.filter(
        Q(partner__isnull=True) | Q(partner=partner), case_id=partner.case_id
    )


def own_assignments(user: Any) -> QuerySet[Assignment]:
    """A signed-in partner's exercises; nothing for anyone else."""
    partner = policy.own_partner(user)
    if partner is None:
        return Assignment.objects.none()
    return partner_assignments(partner)


def get_own_assignment(request: HttpRequest, pk: int, event: str = "exercise.read") -> Assignment:
    found = own_assignments(request.user).filter(pk=pk, active=True).first()
    if found is None:
        policy.refuse(request, event, f"exercise id {pk}")
    return found


def log_view(user: Any, log: Log, rel: Relation | None = None) -> dict[str, Any]:
    """The fields of a practice log that ``user`` may see ({} for nothing).

    What happened (date, position, agreements) is shared; feelings, thoughts,
    needs and the note only when the author shares them. The other partner
    gets nothing at all for a log that shows them nothing but its date: an
    empty dated card would tell them that their partner practised that day.
    """
    rel = policy.relation(user, log.partner) if rel is None else rel
    if rel == Relation.NONE:
        return {}
    values = {"date": log.date.isoformat(), **log.values}
    visible = {
        name: value
        for name, value in values.items()
        if name in rules.LOG_FIELDS_BY_NAME
        and may_see(rel, rules.log_field_visibility(name, log.shared))
    }
    if log.run_id is not None and may_see(rel, Visibility.SHARED):
        visible["run"] = log.run
    if rel == Relation.OTHER_PARTNER and not any(
        value not in (None, "", [], {}) for name, value in visible.items() if name != "date"
    ):
        return {}
    return visible


def _private_unless_shared(user: Any, author: Any, shared: bool) -> bool:
    rel = policy.relation(user, author)
    visibility = Visibility.SHARED if shared else Visibility.PRIVATE
    return rel != Relation.NONE and may_see(rel, visibility)


def answers_view(user: Any, answers: Answers) -> dict[str, Any]:
    """Inventory or plan answers: the author and therapists; the other partner if shared."""
    if not _private_unless_shared(user, answers.partner, answers.shared):
        return {}
    return answers.values


def entry_view(user: Any, entry: Entry) -> dict[str, Any]:
    """A log entry (a bid and its answer): author and therapists; the other partner if shared."""
    if not _private_unless_shared(user, entry.partner, entry.shared):
        return {}
    return {"date": entry.date, **entry.values}


def case_logs(user: Any, case: Case, since: dt.date | None = None) -> QuerySet[Log]:
    """The practice logs of ``case``'s exercises (from ``since``) with their timer runs,
    for its therapists; nothing for anyone else. Reduce each with :func:`log_view`."""
    if not policy.is_case_therapist(user, case):
        return Log.objects.none()
    found = Log.objects.filter(assignment__case=case).select_related("run")
    return found if since is None else found.filter(date__gte=since)
