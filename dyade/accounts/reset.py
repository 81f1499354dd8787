"""Asking for a link to choose a new password: audited and limited.

Every request writes an audit event ``password_reset.create``: attributed to the
account when the address belongs to one (so its practice sees it), anonymous
otherwise (the typed address is not stored). At most
``DYADE_PASSWORD_RESET_PER_ACCOUNT`` links go to one account in an hour, and one
client address may ask ``DYADE_PASSWORD_RESET_PER_CLIENT`` times in an hour; a
request over either limit sends nothing and is audited as denied. The counts are
read from the audit trail itself, so they hold across app servers and workers.

Whatever happens, the person asking gets the same answer: nobody learns whether an
address has an account, or that a limit was reached.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from dyade.accounts.models import User
from dyade.accounts.tasks import send_password_link
from dyade.audit.models import AuditEvent
from dyade.audit.services import Outcome, client_ip, record

EVENT = "password_reset.create"
WINDOW = dt.timedelta(hours=1)

SENT = "link sent"
NO_ACCOUNT = "no account with this address"
INACTIVE = "account not active"
ACCOUNT_LIMIT = "limit per account reached"
CLIENT_LIMIT = "limit per client address reached"


def _recent() -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(event=EVENT, time__gte=timezone.now() - WINDOW)


def client_over_limit(request: HttpRequest) -> bool:
    ip = client_ip(request)
    if ip is None:
        return False
    asked = _recent().filter(ip_address=ip).count()
    return bool(asked >= settings.DYADE_PASSWORD_RESET_PER_CLIENT)


def account_over_limit(user: User) -> bool:
    sent = _recent().filter(user_id=user.pk, outcome=Outcome.SUCCESS).count()
    return bool(sent >= settings.DYADE_PASSWORD_RESET_PER_ACCOUNT)


def ask_for_link(request: HttpRequest, email: str) -> str:
    """Handle one request for a link to ``email``; returns what happened (for the audit
    trail and the tests, never for the person asking)."""
    with transaction.atomic():
        # The account's row is locked, so requests sent at once for one account are
        # counted one after the other.
        user = User.objects.select_for_update().filter(email__iexact=email.strip()).first()
        outcome: Outcome
        detail: str
        if client_over_limit(request):
            outcome, detail = Outcome.DENIED, CLIENT_LIMIT
        elif user is None:
            outcome, detail = Outcome.SUCCESS, NO_ACCOUNT
        elif not user.is_active:
            outcome, detail = Outcome.DENIED, INACTIVE
        elif account_over_limit(user):
            outcome, detail = Outcome.DENIED, ACCOUNT_LIMIT
        else:
            outcome, detail = Outcome.SUCCESS, SENT
        record(
            request,
            EVENT,
            outcome=outcome,
            user=user,
            anonymous=user is None,
            detail=detail,
        )
        if detail == SENT and user is not None:
            send_password_link.enqueue(user.pk)
    return detail
