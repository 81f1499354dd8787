"""The background task of retention (django-tasks).

Run ``manage.py destroy_expired_records`` from cron once a day (docs/operations.md);
``--queue`` hands the work to the task worker instead of doing it in the command.
"""

from __future__ import annotations

from django_tasks import task

from dyade.rights import retention


@task()
def destroy_expired_records() -> int:
    """Destroy the closed cases whose retention term has passed; returns how many."""
    return retention.destroy_due()
