"""Who may have a copy of whose data, and which audit events a partner is shown.

A partner gets a copy of their own data only, and sees who has read or changed it.
A practice admin makes a copy on a written request, for a partner of a case of
their own practice or a therapist of their own practice, found by the e-mail
address the request gives; the admin never sees the copy on a page. Nobody else
gets a copy: not the other partner, not a therapist, not a researcher, not an
admin of another practice.

The copy itself is collected with the data subject's own account as the viewer
(:mod:`dyade.rights.collect`, :mod:`dyade.rights.staff`), through every app's
access module, so it never holds more than that person can see in Dyade.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from dyade.accounts.models import Role, User
from dyade.audit.models import AuditEvent
from dyade.cases import policy
from dyade.cases.models import Case, Partner

# Events that record a read of a partner's SHARED data into the other partner's copy
# of their own data (``rights.shared.read``). They stay in the trail for the practice,
# but the partner whose shared data it was is not shown them: they would tell that
# partner when the other partner asked for a copy. The seen page says so in words.
SHARED_INTO_OTHERS_COPY = "rights.shared.read"


def own_subject(user: Any) -> Partner | None:
    """The partner whose copy ``user`` may have: their own record; None for anyone else."""
    return policy.own_partner(user)


def can_make_copies(user: Any) -> bool:
    """A copy on a written request: the practice admin only."""
    return policy.is_practice_admin(user)


def subject_for(user: Any, email: str) -> User | None:
    """The account a practice admin may make a copy for, by its e-mail address.

    A partner of a case of the admin's practice (an active account, so that the copy
    can be collected as that partner sees their data) or a therapist of the admin's
    practice (active or not). None for anyone else, and for anyone who is not a
    practice admin: another practice's people answer exactly like unknown addresses.
    """
    if not can_make_copies(user):
        return None
    found = User.objects.filter(email__iexact=email.strip()).first()
    if found is None:
        return None
    if found.role == Role.THERAPIST:
        return found if found.practice_id == user.practice_id else None
    if found.role == Role.PARTNER:
        partner = policy.own_partner(found)
        if partner is not None and partner.case.practice_id == user.practice_id:
            return found
    return None


def events_about(user: Any, partner: Partner, *, own: bool = False) -> QuerySet[AuditEvent]:
    """The audit events whose subject is ``partner``, for that partner to read; newest first.

    Only events about this partner (``partner_id``) count: events about the other
    partner never appear. No partner account but the reader's own ever appears as
    the one who acted, so nothing tells the reader what the other partner did; the
    reader's own events appear only when ``own`` is asked for. Nothing for anyone
    but the partner themselves.
    """
    mine = policy.own_partner(user)
    if mine is None or mine.pk != partner.pk:
        return AuditEvent.objects.none()
    events = AuditEvent.objects.filter(case_id=partner.case_id, partner_id=partner.pk).exclude(
        event=SHARED_INTO_OTHERS_COPY
    )
    others = ~Q(role=Role.PARTNER)
    return events.filter(others | Q(user_id=user.pk) if own else others)


def can_destroy(user: Any) -> bool:
    """Destroying a record and setting the retention term: the practice admin only."""
    return policy.is_practice_admin(user)


def destroyable_cases(user: Any) -> QuerySet[Case]:
    """The cases whose record ``user`` may destroy: every case of their own practice, open
    or closed, for a practice admin; none for anyone else."""
    if not can_destroy(user):
        return Case.objects.none()
    return Case.objects.filter(practice_id=user.practice_id)
