"""The WSGI application for bench/load.py, with every view imported before gunicorn forks.

Django imports the URL table, and with it every view (the research pages bring
numpy, scipy and pandas), at a worker's first request. With ``--preload`` this
module does it once in gunicorn's master, so sixteen workers on two cores do not
each spend seconds importing at once, and no measurement includes an import.
"""

from __future__ import annotations

from django.db import connections
from django.urls import get_resolver

from dyade.wsgi import application

get_resolver().url_patterns  # noqa: B018 (imports every view)
connections.close_all()  # the workers open their own

__all__ = ["application"]
