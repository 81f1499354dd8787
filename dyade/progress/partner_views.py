"""A partner's own progress over the sessions, on the phone, and the choice to share it.

The partner sees the chart of their own outcome check-ins with the cut-off
and the band around their first score, and their own alliance answers. They
decide whether the other partner may see their outcome chart; the alliance
answers are never shown to the other partner. The other partner's chart is
shown here only while the other partner shares it, and then only for joint
sessions: a session the other partner had alone is not told about.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, npgettext
from django.views.decorators.http import require_POST

from dyade.audit.services import prepare, record_many
from dyade.cases import policy
from dyade.progress import access, display, services
from dyade.sessions.progress_series import alliance_values
from dyade.sessions.progress_series import rows as session_rows

PARTNER_STATUS = {
    "recovered": gettext_lazy(
        "Clearly better than at your first check-in, and past the dashed line."
    ),
    "improved": gettext_lazy("Clearly better than at your first check-in."),
    "unchanged": gettext_lazy("About the same as at your first check-in."),
    "deteriorated": gettext_lazy(
        "Clearly lower than at your first check-in. That is worth bringing up in a session."
    ),
}


def _joint(appointment: Any) -> bool:
    """A session held (or planned) with both partners."""
    if appointment.attendance == "both":
        return True
    planned_for = getattr(appointment, "planned_for", "both")
    return appointment.attendance == "planned" and planned_for == "both"


def _sessions(check_ins: list[Any]) -> list[Any]:
    found = {a.appointment_id: a.appointment for a in check_ins if a.appointment is not None}
    return list(found.values())


@login_required
def my_progress(request: HttpRequest) -> HttpResponse:
    partner = policy.partner_or_403(request)
    user = request.user
    mine = list(access.own_check_ins(user))
    practice_id = user.practice_id
    rows = session_rows(_sessions(mine), mine, {partner.pk: partner.slot}, practice_id=practice_id)
    outcome = display.outcome_of(rows, partner.slot, _("you"))
    outcome.chart = display.outcome_chart(
        outcome,
        f"partner-{partner.slot.lower()}",
        len(rows),
        npgettext("chart axis", "check-in", "check-ins", len(rows)),
        _("Your check-ins before the sessions"),
        display.PHONE_WIDTH,
    )
    own_alliance = alliance_values(rows, partner.slot)
    events = [
        prepare(
            request,
            "progress.read",
            partner=partner,
            detail=f"{len(outcome.values)} outcome, {len(own_alliance)} alliance",
        )
    ]
    other = partner.other
    theirs = None
    if other is not None:
        shared = [a for a in access.shared_outcome_check_ins(user, other) if _joint(a.appointment)]
        if shared:
            other_rows = session_rows(
                _sessions(shared), shared, {other.pk: other.slot}, practice_id=practice_id
            )
            theirs = display.outcome_of(other_rows, other.slot, other.name)
            theirs.chart = display.outcome_chart(
                theirs,
                f"partner-{other.slot.lower()}",
                len(other_rows),
                npgettext("chart axis", "check-in", "check-ins", len(other_rows)),
                _("%(name)s's check-ins before the sessions") % {"name": other.name},
                display.PHONE_WIDTH,
            )
            events.append(
                prepare(request, "progress.read", partner=other, detail="shared with the partner")
            )
    record_many(events)
    sharing = access.sharing_of(user)
    context = {
        "partner": partner,
        "other": other,
        "outcome": outcome,
        "status_text": PARTNER_STATUS.get(outcome.latest_status or "", ""),
        "measure": display.instrument_title(outcome.instrument),
        "lower_better": display.lower_is_better(outcome.instrument),
        "alliance_chart": display.alliance_chart(
            [(_("you"), f"partner-{partner.slot.lower()}", own_alliance)] if own_alliance else [],
            len(rows),
            _("How you rated the sessions (0-10)"),
            display.PHONE_WIDTH,
        )
        if own_alliance
        else None,
        "theirs": theirs,
        "theirs_status": theirs.latest_label if theirs else "",
        "shared": bool(sharing and sharing.shared),
    }
    return render(request, "progress/my_progress.html", context)


@login_required
@require_POST
def share(request: HttpRequest) -> HttpResponse:
    partner = policy.partner_or_403(request)
    choice = request.POST.get("shared")
    if choice not in ("yes", "no") or partner.other is None:
        messages.error(request, _("Choose whether to share your chart."))
        return redirect("diary:progress")
    services.set_sharing(request, partner, choice == "yes")
    if choice == "yes":
        messages.success(
            request, _("Your partner can now see your chart (not how you rated the sessions).")
        )
    else:
        messages.success(request, _("Your chart is now for you and your therapist only."))
    return redirect("diary:progress")
