"""Which closed cases have passed their practice's retention term, and destroying them.

A closed case is kept for the practice's term (:class:`~dyade.rights.models.Retention`,
or the Dutch default of 20 years when the practice set none) after its last change:
``Case.changed_at``, or its closing date when that is later. An open case is never
destroyed by the term, however old. ``manage.py destroy_expired_records`` (cron) and
the task :func:`dyade.rights.tasks.destroy_expired_records` run :func:`destroy_due`.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db.models import ProtectedError, Q
from django.utils import timezone

from dyade.cases.models import Case, CaseStatus
from dyade.rights.erasure import destroy_case
from dyade.rights.models import Country, Reason, Retention, default_years

logger = logging.getLogger(__name__)


def add_years(moment: dt.datetime, years: int) -> dt.datetime:
    """``moment`` moved by whole years; 29 February becomes 28 February in other years."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


def term(practice: Any) -> tuple[str, int]:
    """The practice's country and term in years (the Dutch default without a setting)."""
    setting = Retention.objects.filter(practice_id=practice.pk).first()
    if setting is None:
        return Country.NETHERLANDS, default_years(Country.NETHERLANDS)
    return setting.country, setting.years


def kept_until(case: Case, years: int) -> dt.datetime | None:
    """When a closed case's term ends; None for an open case."""
    if case.status != CaseStatus.CLOSED:
        return None
    start = max(case.changed_at, case.closed_at or case.changed_at)
    return add_years(start, years)


def due(now: dt.datetime | None = None) -> list[Case]:
    """The closed cases of every practice whose term has ended at ``now``, oldest first."""
    now = now or timezone.now()
    terms = {row.practice_id: row.years for row in Retention.objects.all()}
    fallback = default_years(Country.NETHERLANDS)
    practices = (
        Case.objects.filter(status=CaseStatus.CLOSED)
        .values_list("practice_id", flat=True)
        .distinct()
    )
    found: list[Case] = []
    for practice_id in practices:
        cutoff = add_years(now, -terms.get(practice_id, fallback))
        found += Case.objects.filter(
            Q(closed_at__isnull=True) | Q(closed_at__lte=cutoff),
            practice_id=practice_id,
            status=CaseStatus.CLOSED,
            changed_at__lte=cutoff,
        ).order_by("changed_at", "pk")
    return found


def destroy_due(now: dt.datetime | None = None) -> int:
    """Destroy every closed case past its term (each in its own transaction); how many."""
    count = 0
    for case in due(now):
        try:
            destroy_case(None, case, by=None, reason=Reason.TERM)
        except ProtectedError:  # nothing of this case was removed; the others go on
            logger.exception("retention: case %s could not be destroyed", case.pk)
            continue
        count += 1
    if count:
        logger.info("retention: %s closed case(s) destroyed", count)
    return count
