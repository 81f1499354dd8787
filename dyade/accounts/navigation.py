"""Small shared checks on where a request goes: static files and safe redirects."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def is_static_path(path: str) -> bool:
    return path.startswith("/" + settings.STATIC_URL.lstrip("/"))


def safe_next(request: HttpRequest) -> str:
    """The ``next`` address of the request if it stays on this site, else the start page."""
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return "/"
    return target
