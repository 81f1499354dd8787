"""The page shown while a login is locked out (django-axes' ``AXES_LOCKOUT_CALLABLE``).

It says when the lockout lifts, offers the link to choose a new password (which
lifts it at once, see :mod:`dyade.accounts.reset_views`) and says who can help. It
says the same whether or not the typed address belongs to an account, and it
does not repeat the address.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

LOCKED_STATUS = 429


def lifts_at(request: HttpRequest, credentials: dict[str, Any] | None) -> dt.datetime:
    """When this client may try this account again: the newest failure plus the cool-off."""
    cool_off = get_cool_off(request) or dt.timedelta(0)
    username = get_client_username(request, credentials)
    newest = (
        AccessAttempt.objects.filter(
            username=username, ip_address=getattr(request, "axes_ip_address", None)
        ).aggregate(newest=Max("attempt_time"))["newest"]
        or timezone.now()
    )
    return max(newest + cool_off, timezone.now())


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    until = lifts_at(request, credentials)
    minutes = max(1, round((until - timezone.now()).total_seconds() / 60))
    context = {"until": timezone.localtime(until), "minutes": minutes}
    return render(request, "accounts/locked_out.html", context, status=LOCKED_STATUS)
