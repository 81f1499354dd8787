"""Audit events for logging in and out (NEN 7513 asks for both)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from dyade.audit.services import Outcome, record


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(request, "auth.login", user=user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(request, "auth.logout", user=user)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    # The typed e-mail address is not stored: it may be a partner's mistyped
    # password or someone else's address.
    record(request, "auth.login", outcome=Outcome.DENIED, anonymous=True)
