"""Language per user, and no caching of pages with client data."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from dyade.accounts.navigation import is_static_path

LANGUAGE_COOKIE = settings.LANGUAGE_COOKIE_NAME


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
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
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
