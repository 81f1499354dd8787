"""The background refresh of the caseload's order by attention (django-tasks).

Run ``manage.py refresh_attention`` from cron every few minutes
(docs/operations.md); ``--queue`` hands the work to the task worker. A new
assignment is worked out when it commits (``dyade/overview/freshness.py``), not here.
"""

from __future__ import annotations

from django_tasks import task

from dyade.overview import refresh


@task()
def refresh_attention(case_ids: list[int] | None = None, everything: bool = False) -> int:
    """Work out the due states (or those of ``case_ids``); returns how many were written."""
    if case_ids:
        return refresh.refresh(case_ids=case_ids)
    return refresh.run(everything=everything)[2]
