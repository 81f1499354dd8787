"""Sessions that are written only when needed, language per user, no caching of client data."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from dyade.accounts.models import Role
from dyade.accounts.navigation import is_static_path
from dyade.content import FORMAL_DUTCH  # Dutch with "u": dyade/locale/nl_Formal over nl

LANGUAGE_COOKIE = settings.LANGUAGE_COOKIE_NAME

# When the session's expiry was last pushed forward (seconds since the epoch).
REFRESHED = "_dyade_refreshed"


class SessionRefreshMiddleware:
    """Keep the idle timeout of a session without writing the session on every request.

    A session ends ``SESSION_COOKIE_AGE`` after it was last saved. Saving it on
    every request (``SESSION_SAVE_EVERY_REQUEST``) costs a write on each page;
    saving it only when it changes would end a busy session two hours after the
    login. Here a session that did not change is saved again only when its
    expiry was set more than ``DYADE_SESSION_REFRESH_SECONDS`` ago, so a session
    ends after between ``SESSION_COOKIE_AGE - DYADE_SESSION_REFRESH_SECONDS``
    and ``SESSION_COOKIE_AGE`` of idleness (1 h 55 min to 2 h by default).

    Sits just inside Django's SessionMiddleware, which does the saving.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None:
            return response
        now = int(time.time())
        if session.modified:
            if not session.is_empty():
                session[REFRESHED] = now  # saved anyway: count the interval from now
        elif session.session_key is not None:
            stamp = session.get(REFRESHED, 0)  # loads the session if nothing did
            stale = now - stamp >= settings.DYADE_SESSION_REFRESH_SECONDS
            if stale and session.session_key is not None:  # None: no such session (any more)
                session[REFRESHED] = now
        return response


def formal(user: Any) -> bool:
    """Whether this partner's practice addresses partners formally ("u") in Dutch.

    Staff pages keep the plain Dutch catalogue: the setting is about how Dyade speaks to
    clients.
    """
    if user.role != Role.PARTNER or user.practice_id is None:
        return False
    # The signed-in user is read with their practice (dyade/accounts/signed_in.py), so this
    # costs no query on a page; a user read elsewhere reads the practice here.
    return bool(user.practice.formal_dutch)


def speaking_to(user: Any, language: str) -> str:
    """``language``, or ``nl-formal`` when it is Dutch and ``user`` is addressed with "u".

    For what Dyade sends outside a request (e-mails): the same choice the middleware makes.
    """
    return FORMAL_DUTCH if language == "nl" and formal(user) else language


class UserLanguageMiddleware:
    """Activate the signed-in user's language, else the visitor's choice, else Dutch.

    The browser's Accept-Language is deliberately ignored: Dyade is Dutch first,
    and a shared family computer should not decide a partner's language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        codes = {code for code, _name in settings.LANGUAGES}
        if user is not None and user.is_authenticated:
            language = user.language
        else:
            language = request.COOKIES.get(LANGUAGE_COOKIE, settings.LANGUAGE_CODE)
        if language not in codes:
            language = settings.LANGUAGE_CODE
        if language == "nl" and user is not None and user.is_authenticated and formal(user):
            language = FORMAL_DUTCH
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        # A view may speak another language (the invitation page speaks the partner's).
        response.headers.setdefault("Content-Language", getattr(request, "LANGUAGE_CODE", language))
        return response


class NoStoreMiddleware:
    """Pages may hold client data: the browser must not keep them in its history cache.

    After the quick exit or a logout, pressing Back must not show a partner's diary.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_static_path(request.path):
            response.headers["Cache-Control"] = "no-store, private"
        return response
