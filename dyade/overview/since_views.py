"""The therapist's "since last session" screen: both diaries, read in two minutes.

It reads only the days it compares: the period since the last session and one
as long before it, without the notes, which it does not show. The last session
is the newest one held, else the newest observation, asked in one query. The words come
from :mod:`dyade.overview.since`, which the session brief uses too.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from dyade.audit.services import prepare, record_many
from dyade.cases import policy
from dyade.cases.models import Case
from dyade.diary import access
from dyade.overview import since as since_words
from dyade.sessions import access as sessions_access
from dyade.sessions import services as session_services


def _last_session(user: object, case: Case) -> since_words.LastSession:
    """The newest held session and the newest observation of ``case``, in one query."""
    held = (
        sessions_access.case_appointments(user, case)
        .filter(attendance__in=since_words.HELD, starts_at__lte=timezone.now())
        .order_by("-starts_at")
        .values("starts_at")[:1]
    )
    observed = sessions_access.case_observations(user, case).order_by("-date").values("date")[:1]
    found = (
        Case.objects.filter(pk=case.pk)
        .values(held=Subquery(held), observed=Subquery(observed))
        .first()
    ) or {}
    return since_words.last_session(
        [found["held"]] if found.get("held") else [],
        [found["observed"]] if found.get("observed") else [],
    )


@login_required
def since_last_session(request: HttpRequest, pk: int) -> HttpResponse:
    if not policy.can_create_case(request.user):
        raise PermissionDenied
    case = policy.get_case(request, pk, event="diary.read")
    user = request.user
    when = since_words.period(_last_session(user, case), timezone.localdate())
    partners = list(case.partners.all())
    window = access.visible_window(user, partners, when.read_from, when.until, notes=False)
    latest = sessions_access.case_cycle_versions(user, case).first()
    events = [
        prepare(
            request,
            "diary.read",
            case=case,
            partner=partner,
            detail=f"since {when.since.isoformat()}",
        )
        for partner in partners
    ]
    if latest is not None:
        events.append(
            prepare(request, "cycle.read", obj=latest, case=case, detail=f"v{latest.number}")
        )
    record_many(events)  # before anything is shown
    context = {
        "case": case,
        "cycle_version": latest,
        "answer_labels": {
            "accepted": _("yes"),
            "loving-boundary": _("a warm no"),
            "declined": _("no"),
        },
        **since_words.summary(partners, window, when, session_services.cycle_of(latest, case)),
    }
    return render(request, "diary/since.html", context)
