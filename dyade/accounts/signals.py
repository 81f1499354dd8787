"""Audit events for logging in and out (NEN 7513 asks for both), and the login's time."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from dyade.accounts.models import User
from dyade.accounts.signed_in import SIGNED_IN_AT
from dyade.audit.services import Outcome, record


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = int(time.time())
    record(request, "auth.login", user=user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(request, "auth.logout", user=user)


def targeted_account(credentials: dict[str, Any]) -> User | None:
    """The account whose address was typed, if there is one."""
    typed = credentials.get("username")
    if not isinstance(typed, str) or not typed.strip() or "\x00" in typed:
        return None
    return User.objects.filter(email__iexact=typed.strip()).first()


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    """A failed login is attributed to the account it targeted, so that account's practice
    sees it in its audit log. An address that belongs to no account is not stored: it may
    be a partner's mistyped password or someone else's address. The person trying sees
    the same answer either way."""
    target = targeted_account(credentials)
    locked = request is not None and getattr(request, "axes_locked_out", False)
    if locked:
        detail = "locked out"
    elif target is not None and not target.is_active:
        detail = "account not active"
    else:
        detail = "wrong password"
    if target is None:
        record(request, "auth.login", outcome=Outcome.DENIED, anonymous=True, detail=detail)
    else:
        record(request, "auth.login", outcome=Outcome.DENIED, user=target, detail=detail)
