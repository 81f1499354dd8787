"""Who may see whose progress over sessions, built on the policy core.

* The case's therapists see every partner's outcome and alliance check-ins.
* A partner sees their own outcome and their own alliance answers.
* The other partner sees a partner's outcome chart only while that partner
  shares it (:class:`~dyade.progress.models.Sharing`), and never their
  alliance: not the scores, not whether they checked in, not a count.
* Nobody else sees any of it (another practice's therapist, a colleague not
  on the case, a researcher, a stranger).

The check-ins are questionnaire administrations with a ``moment``; they are
read through :mod:`dyade.questionnaires.access` for the therapist and the
author. For a partner who shares, this module reads the other partner's sent
outcome check-ins itself (their scores only, never the answers).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dyade.cases import policy
from dyade.cases.models import Case, Partner
from dyade.clinic.visibility import Relation
from dyade.progress.models import Sharing
from dyade.questionnaires import access as questionnaires_access
from dyade.questionnaires.models import Administration, Moment, Status
from dyade.sessions import access as sessions_access
from dyade.sessions.models import Appointment

CHECK_IN_MOMENTS = (Moment.BEFORE, Moment.AFTER)


def can_see_case_progress(user: Any, case: Case) -> bool:
    """The progress page of a case: its therapists only."""
    return policy.is_case_therapist(user, case)


CHECK_IN_FIELDS = (
    "id",
    "partner_id",
    "appointment_id",
    "moment",
    "status",
    "instrument",
    "version",
    "submitted_at",
    "answers_json",
)


def case_check_ins(user: Any, case: Case) -> QuerySet[Administration]:
    """Every sent check-in of the case, for its therapists; nothing for anyone else.

    Only what a series needs is read (not the partner, whose name is stored
    encrypted: each name would be decrypted once per check-in).
    """
    return (
        questionnaires_access.case_administrations(user, case)
        .filter(moment__in=CHECK_IN_MOMENTS, status=Status.SUBMITTED)
        .select_related(None)
        .only(*CHECK_IN_FIELDS)
    )


def case_sessions(user: Any, case: Case) -> QuerySet[Appointment]:
    """The case's sessions, for its therapists (:mod:`dyade.sessions.access`)."""
    return sessions_access.case_appointments(user, case)


def is_shared(partner: Partner) -> bool:
    """Whether ``partner`` shows their outcome chart to the other partner."""
    return Sharing.objects.filter(partner=partner, shared=True).exists()


def sharing_of(user: Any) -> Sharing | None:
    """The signed-in partner's own choice (None: never chosen, so not shared)."""
    mine = policy.own_partner(user)
    if mine is None:
        return None
    return Sharing.objects.filter(partner=mine).first()


def may_see_outcome(user: Any, partner: Partner, rel: Relation | None = None) -> bool:
    """The partner's outcome chart: author and therapist; the other partner if shared."""
    rel = policy.relation(user, partner) if rel is None else rel
    if rel in (Relation.AUTHOR, Relation.THERAPIST):
        return True
    return rel == Relation.OTHER_PARTNER and is_shared(partner)


def may_see_alliance(user: Any, partner: Partner, rel: Relation | None = None) -> bool:
    """The partner's alliance answers: the partner and the therapist, never the other partner."""
    rel = policy.relation(user, partner) if rel is None else rel
    return rel in (Relation.AUTHOR, Relation.THERAPIST)


def own_check_ins(user: Any) -> QuerySet[Administration]:
    """A signed-in partner's own sent check-ins, with their sessions."""
    return (
        questionnaires_access.own_administrations(user)
        .filter(moment__in=CHECK_IN_MOMENTS, status=Status.SUBMITTED)
        .select_related("appointment")
    )


def shared_outcome_check_ins(user: Any, partner: Partner) -> QuerySet[Administration]:
    """The other partner's sent outcome check-ins, when they share them with ``user``.

    Only the outcome (``before``), never the alliance; nothing when ``user`` is
    not the other partner of the same case, or the chart is not shared.
    """
    rel = policy.relation(user, partner)
    if rel != Relation.OTHER_PARTNER or not may_see_outcome(user, partner, rel):
        return Administration.objects.none()
    return Administration.objects.filter(
        partner=partner, moment=Moment.BEFORE, status=Status.SUBMITTED
    ).select_related("appointment")


def can_manage_change_values(user: Any) -> bool:
    """A practice admin enters the practice's values for reliable change; no one else."""
    return policy.is_practice_admin(user)
