"""Keep NUL characters out of the request before anything reads it.

No Dyade page takes a NUL character (``%00``), but each part of a request can
reach the database: the audit event stores the path and the browser's name, a
session cookie is looked up, a link's token is hashed and searched, a query
parameter becomes a filter. PostgreSQL cannot store or compare NUL in text and
answers with an error, which would be a server error for hostile input. This
middleware sits near the top of the stack:

* a NUL in the path or a header is answered with 400 at once;
* a NUL in the query string is dropped, so a parameter reads as if it had not
  been typed (``?newer=%00`` shows the first page, as any odd cursor does).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _


def carries_nul(request: HttpRequest) -> bool:
    """Whether the path or a header holds a NUL character."""
    if "\x00" in request.path_info:
        return True
    for key, value in request.META.items():  # a plain loop: the cheapest way through
        if key[:5] == "HTTP_" and "\x00" in value:  # WSGI headers are text
            return True
    return False


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if carries_nul(request):
            return HttpResponseBadRequest(
                _("Something in the request was not right. Please go back and try again."),
                content_type="text/plain; charset=utf-8",
            )
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            while "%00" in query or "\x00" in query:  # "%%0000" leaves "%00" after one pass
                query = query.replace("%00", "").replace("\x00", "")
            # request.GET is read from META when first used, which is after this.
            request.META["QUERY_STRING"] = query
        return self.get_response(request)
