"""The one way to write an audit event.

Call :func:`record` inside the same ``transaction.atomic()`` block as the write
it describes: if the event cannot be written, the work is undone too. A page
that reads several things (a case, both partners' diaries, the guidance)
prepares one event per subject with :func:`prepare` and writes them all with
:func:`record_many`, one statement, before anything is shown: if the events
cannot be written, the page is not shown either.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.http import HttpRequest

from dyade.audit.client_ip import client_ip
from dyade.audit.models import Action, AuditEvent, Outcome
from dyade.db import prepared

__all__ = ["Action", "Named", "Outcome", "client_ip", "prepare", "record", "record_many"]


@dataclasses.dataclass(frozen=True)
class Named:
    """A record named by its model and primary key, for an event that need not load it."""

    model: type[models.Model]
    pk: Any


_ACTIONS = {
    "read": Action.READ,
    "list": Action.READ,
    "create": Action.CREATE,
    "update": Action.UPDATE,
    "delete": Action.DELETE,
    "login": Action.LOGIN,
    "logout": Action.LOGOUT,
}


def prepare(
    request: HttpRequest | None,
    event: str,
    *,
    obj: models.Model | Named | None = None,
    case: Any = None,
    partner: Any = None,
    outcome: Outcome = Outcome.SUCCESS,
    user: Any = None,
    anonymous: bool = False,
    detail: str = "",
) -> AuditEvent:
    """The audit event :func:`record` would write, not saved yet (see :func:`record_many`).

    ``event`` is ``"<area>.<verb>"``; the verb gives the action (read, list,
    create, update, delete, login, logout). The user defaults to the request's
    user; ``anonymous=True`` records no user at all. ``case`` and ``partner``
    are a case and a partner of :mod:`dyade.cases`, which sits above this app.
    """
    verb = event.rsplit(".", 1)[-1]
    action = _ACTIONS.get(verb)
    if action is None:
        raise ValueError(f"unknown audit verb in {event!r}")
    if user is None and not anonymous and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if partner is not None and case is None:
        case = partner.case
    practice_id = case.practice_id if case is not None else getattr(user, "practice_id", None)
    if practice_id is None:
        practice_id = getattr(obj, "practice_id", None)
    path = f"{request.method} {request.path}"[:300] if request is not None else "system"
    agent = request.META.get("HTTP_USER_AGENT", "")[:200] if request is not None else ""
    return AuditEvent(
        event=event,
        action=action,
        outcome=outcome,
        user_id=user.pk if user is not None else None,
        user_label=user.email if user is not None else "",
        role=user.role if user is not None else "",
        practice_id=practice_id,
        ip_address=client_ip(request),
        access_point=path,
        user_agent=agent,
        case_id=case.pk if case is not None else None,
        case_label=case.label if case is not None else "",
        partner_id=partner.pk if partner is not None else None,
        partner_slot=partner.slot if partner is not None else "",
        object_type=_label(obj),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        detail=detail[:300],
    )


def _label(obj: models.Model | Named | None) -> str:
    if obj is None:
        return ""
    return obj.model._meta.label if isinstance(obj, Named) else obj._meta.label


def record(
    request: HttpRequest | None,
    event: str,
    *,
    obj: models.Model | Named | None = None,
    case: Any = None,
    partner: Any = None,
    outcome: Outcome = Outcome.SUCCESS,
    user: Any = None,
    anonymous: bool = False,
    detail: str = "",
) -> AuditEvent:
    """Write one audit event (the arguments are those of :func:`prepare`)."""
    audit_event = prepare(
        request,
        event,
        obj=obj,
        case=case,
        partner=partner,
        outcome=outcome,
        user=user,
        anonymous=anonymous,
        detail=detail,
    )
    return _events.insert(audit_event)  # type: ignore[return-value]


# Nearly every request writes an event: one statement, prepared once.
_events = prepared.Inserter(AuditEvent)


def record_many(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """Write events made by :func:`prepare` together, in one INSERT statement."""
    pending = list(events)
    if not pending:
        return []
    return AuditEvent.objects.bulk_create(pending)
