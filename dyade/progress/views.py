"""The therapist's progress page of a case: outcome and alliance of each partner per session.

Per partner a chart of the outcome measure over the sessions, with the
clinical cut-off and the reliable-change band around the first score, the
status after each session (recovered, improved, unchanged, deteriorated;
Jacobson & Truax 1991), and the alliance check of each partner per session.

The page reads the partners, the sessions and the sent check-ins, three
queries whatever the number of sessions, and writes its audit events in one
statement before anything is shown.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import npgettext

from dyade.audit.services import prepare, record_many
from dyade.cases import policy
from dyade.progress import access, display
from dyade.sessions.progress_series import alliance_values
from dyade.sessions.progress_series import rows as session_rows


@login_required
def case_progress(request: HttpRequest, pk: int) -> HttpResponse:
    if not policy.can_create_case(request.user):
        raise PermissionDenied
    case = policy.get_case(request, pk, event="progress.read")
    user = request.user
    if not access.can_see_case_progress(user, case):  # pragma: no cover - same rule today
        raise Http404
    partners = list(case.partners.all())
    sessions = list(access.case_sessions(user, case))
    check_ins = list(access.case_check_ins(user, case))
    rows = session_rows(
        sessions,
        check_ins,
        {p.pk: p.slot for p in partners},
        now=timezone.now(),
        practice_id=case.practice_id,
    )
    events = [prepare(request, "progress.read", case=case, detail=f"{len(rows)} sessions")]
    outcomes = []
    for partner in partners:
        label = f"{partner.name} ({partner.slot})"
        outcome = display.outcome_of(rows, partner.slot, label)
        outcome.measure = display.instrument_title(outcome.instrument)
        title = _("%(name)s: %(measure)s over the sessions") % {
            "name": label,
            "measure": outcome.measure or _("outcome"),
        }
        outcome.chart = display.outcome_chart(
            outcome,
            f"partner-{partner.slot.lower()}",
            len(rows),
            npgettext("chart axis", "session", "sessions", len(rows)),
            title,
            display.CARD_WIDTH,
        )
        outcomes.append(outcome)
        alliance = sum(1 for row in rows if partner.slot in row.alliance)
        events.append(
            prepare(
                request,
                "progress.read",
                case=case,
                partner=partner,
                detail=f"{len(outcome.values)} outcome, {alliance} alliance",
            )
        )
    record_many(events)  # one statement, before anything is shown
    alliance_chart = display.alliance_chart(
        [
            (
                f"{p.name} ({p.slot})",
                f"partner-{p.slot.lower()}",
                alliance_values(rows, p.slot),
            )
            for p in partners
        ],
        len(rows),
        _("Alliance after each session (0-10)"),
    )
    context = {
        "case": case,
        "partners": partners,
        "outcomes": outcomes,
        "alliance_chart": alliance_chart,
        "table": display.table(rows, outcomes, [p.slot for p in partners]),
        "sessions": len(rows),
        "status_labels": display.STATUS_LABELS,
    }
    return render(request, "progress/case_progress.html", context)
