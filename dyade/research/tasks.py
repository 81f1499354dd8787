"""The background tasks of the research export (django-tasks).

``build_export`` builds a large export that a researcher asked for (see
:mod:`dyade.research.prepared`); ``delete_expired_exports`` deletes prepared
files once they expire. A backend that can run a task later (the database
backend) gets a clean-up queued for the moment each file expires; run
``manage.py delete_expired_exports`` from cron as well, so that files are
deleted even when a worker was down.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import default_task_backend, task

from dyade.research import prepared
from dyade.research.models import PreparedExport


@task()
def build_export(prepared_id: int) -> str:
    """Build the prepared export ``prepared_id``; returns what became of it."""
    prepared.delete_expired()
    outcome = prepared.build(prepared_id)
    if outcome == "ready":
        expires = PreparedExport.objects.values_list("expires_at", flat=True).get(pk=prepared_id)
        if expires is not None and default_task_backend.supports_defer:
            delete_expired_exports.using(run_after=expires + dt.timedelta(minutes=1)).enqueue()
    return outcome


@task()
def delete_expired_exports() -> int:
    """Delete the prepared exports that have expired; returns how many."""
    return prepared.delete_expired()
