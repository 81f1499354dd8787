"""The background refresh of the caseload's order by attention (django-tasks).

Run ``manage.py refresh_attention`` from cron every few minutes
(docs/operations.md); ``--queue`` hands the work to the task worker. A new
assignment queues a refresh of its case itself (``dyade/overview/freshness.py``).
"""

from __future__ import annotations

from django_tasks import task

from dyade.overview import attention


@task()
def refresh_attention(case_ids: list[int] | None = None, everything: bool = False) -> int:
    """Work out the due states (or those of ``case_ids``); returns how many were written."""
    if case_ids:
        return attention.refresh(case_ids=case_ids)
    attention.follow_assignments()
    return attention.refresh(everything=everything)
