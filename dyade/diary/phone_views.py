"""The installable app: the service worker, served from the site root.

A service worker controls only the pages under the path it is served from, so
/static/dyade/sw.js could not reach /me/. This view serves the same file at
/sw.js. It holds no client data and needs no login.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

WORKER = Path(__file__).resolve().parent.parent / "static" / "dyade" / "sw.js"


@cache
def _worker_source() -> bytes:
    return WORKER.read_bytes()


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_worker_source(), content_type="text/javascript; charset=utf-8")
    # The browser checks for a new worker on every visit instead of keeping an old one.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response
