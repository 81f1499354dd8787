"""The therapist's "since last session" screen: both diaries, read in two minutes.

It reads only the days it compares: the period since the last session and one
as long before it, without the notes, which it does not show. The words come
from :mod:`dyade.overview.since`, which the session brief uses too.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from dyade.audit.services import prepare, record_many
from dyade.cases import policy
from dyade.diary import access
from dyade.overview import since as since_words
from dyade.sessions import access as sessions_access
from dyade.sessions import services as session_services


@login_required
def since_last_session(request: HttpRequest, pk: int) -> HttpResponse:
    if not policy.can_create_case(request.user):
        raise PermissionDenied
    case = policy.get_case(request, pk, event="diary.read")
    user = request.user
    last = sessions_access.case_observations(user, case).defer("note").order_by("-date").first()
    when = since_words.period(last.date if last is not None else None, timezone.localdate())
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
