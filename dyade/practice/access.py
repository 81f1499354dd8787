"""What a practice admin may manage and read, built on the policy core.

A practice admin manages the practice's therapists and researchers and reads
its audit trail; they see no client data.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from dyade.accounts.models import User
from dyade.audit.models import AuditEvent
from dyade.cases import policy


def can_manage_staff(user: Any) -> bool:
    return policy.is_practice_admin(user)


def can_view_audit(user: Any) -> bool:
    return policy.is_practice_admin(user)


def audit_events_for(user: Any) -> QuerySet[AuditEvent]:
    if not can_view_audit(user):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(practice_id=user.practice_id)


def audit_people(user: Any, ids: Iterable[int | None]) -> dict[int, User]:
    """The accounts among ``ids`` that still belong to the admin's practice, in one query.

    Someone who left (or whose account was removed) is absent: the log then shows
    what the event stored about them.
    """
    wanted = {pk for pk in ids if pk is not None}
    if not wanted or not can_view_audit(user):
        return {}
    people = User.objects.filter(practice_id=user.practice_id, pk__in=wanted)
    return {person.pk: person for person in people.only("id", "name", "email", "role")}


def people_named(user: Any, text: str) -> QuerySet[User]:
    """The ids of the practice's accounts whose name holds ``text`` (a subquery)."""
    if not can_view_audit(user):
        return User.objects.none().values("pk")
    return User.objects.filter(practice_id=user.practice_id, name__icontains=text).values("pk")
