"""What a practice admin may manage and read, built on the policy core.

A practice admin manages the practice's therapists and researchers and reads
its audit trail; they see no client data.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

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
