"""The copy as a file: a zip with ``data.json`` and a short ``README.txt`` in the person's
language. Nothing is kept on the server: the zip is built in memory for one response."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation


class CopyEncoder(DjangoJSONEncoder):
    """Dates as ISO 8601, times of day in the practice's time zone, lazy texts as text."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime) and timezone.is_aware(o):
            o = timezone.localtime(o)
        return super().default(o)


def as_json(copy: dict[str, Any]) -> str:
    return json.dumps(copy, cls=CopyEncoder, ensure_ascii=False, indent=2, sort_keys=False)


def readme(copy: dict[str, Any], language: str) -> str:
    active = translation.get_language() or language  # "nl-formal" keeps its "u"
    with translation.override(active if active.startswith(language) else language):
        return render_to_string("rights/readme.txt", {"copy": copy})


def zip_bytes(copy: dict[str, Any], language: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", as_json(copy))
        archive.writestr("README.txt", readme(copy, language))
    return buffer.getvalue()


def download(copy: dict[str, Any], language: str, name: str) -> HttpResponse:
    """The zip as an attachment named ``dyade-<name>-<date>.zip``."""
    response = HttpResponse(zip_bytes(copy, language), content_type="application/zip")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="dyade-{name}-{stamp}.zip"'
    return response
