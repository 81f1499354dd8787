"""Check-ins in the room: the therapist hands a tablet to one partner at a time.

The therapist, signed in on the tablet, starts one partner's check-in for a
session. From then on the tablet's session is *locked* to that one check-in:
:class:`RoomLockMiddleware` sends every other page back to the fill page, so
the partner holding the tablet cannot open the case, the other partner's
answers or anything else. The fill page shows only that partner's questions,
never answers saved before; once sent it shows nothing but a thank-you. The
lock ends only when the therapist types their password (:func:`unlock`), or
when the session ends (logging out, the quick exit). After a few wrong
passwords the therapist is logged out.

The fill itself may take :data:`FILL_MINUTES`; after that the page only asks
to give the tablet back. Every step is audited: the start
(``check_in_room.create``), each page and the sending (``questionnaire.update``,
"in the room"), and the unlock (``check_in_room.update``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

ROOM_KEY = "dyade_room"
FILL_MINUTES = 30
WRONG_PASSWORDS = 5


def lock(request: HttpRequest, administration_id: int, case_id: int, appointment_id: int) -> None:
    """Lock this browser's session to one check-in (the caller audits it)."""
    until = timezone.now() + dt.timedelta(minutes=FILL_MINUTES)
    request.session[ROOM_KEY] = {
        "administration": administration_id,
        "case": case_id,
        "appointment": appointment_id,
        "until": until.isoformat(),
        "wrong": 0,
    }


def state(request: HttpRequest) -> dict[str, Any] | None:
    """The lock of this browser's session, or None when it is not locked."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    value = session.get(ROOM_KEY)
    return value if isinstance(value, dict) else None


def in_time(locked: dict[str, Any], now: dt.datetime | None = None) -> bool:
    try:
        until = dt.datetime.fromisoformat(str(locked.get("until")))
    except ValueError:
        return False
    return (now or timezone.now()) < until


def wrong_password(request: HttpRequest) -> int:
    """Count a wrong unlock password; the count so far."""
    locked = state(request) or {}
    locked["wrong"] = int(locked.get("wrong", 0)) + 1
    request.session[ROOM_KEY] = locked
    return int(locked["wrong"])


def unlock(request: HttpRequest) -> None:
    request.session.pop(ROOM_KEY, None)


def _open_paths() -> tuple[str, ...]:
    """Where a locked tablet may still go: the room, static files, leaving."""
    static = "/" + settings.STATIC_URL.lstrip("/")
    return ("/room/", static, "/exit/", "/account/logout/", "/health/")


class RoomLockMiddleware:
    """While a tablet is locked to a check-in, every other page leads back to it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.open_paths = _open_paths()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if state(request) is not None and not request.path.startswith(self.open_paths):
            return redirect("room:page")
        return self.get_response(request)
