"""Small shared checks on where a request goes: static files and safe redirects."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def is_static_path(path: str) -> bool:
    return path.startswith("/" + settings.STATIC_URL.lstrip("/"))


def safe_next(request: HttpRequest) -> str:
    """The ``next`` address of the request if it is a path on this site, else the start page.

    Only a path counts (it starts with one ``/``): anything else would be taken by
    Django's ``redirect()`` for the name of a view, and an unknown name is a server error.
    """
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not target.startswith("/") or target.startswith("//"):
        return "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return "/"
    return target
