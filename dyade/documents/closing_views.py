"""The closing summary for the partners: the therapist writes, previews, gives and
withdraws it; a partner of the closed case downloads their copy as a PDF.

Giving is an explicit action of one of the case's therapists on a closed case,
never a side effect of closing. A preview is logged as a read with the parts it
showed, giving and withdrawing as a create and a delete. Nothing is given when the
form has an error: the page comes back with what was typed.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dyade.audit.services import Outcome, prepare, record, record_many
from dyade.cases import policy
from dyade.cases.models import Case
from dyade.db.once import RequestIdTaken
from dyade.documents import access, closing_layout
from dyade.documents.closing_partner import SummaryForm, chosen, offer
from dyade.overview import closed_copy
from dyade.sessions import access as sessions_access
from dyade.sessions import summaries

EVENT_READ = "partner_summary.read"
EVENT_GIVE = "partner_summary.create"
EVENT_WITHDRAW = "partner_summary.delete"


def _page(
    request: HttpRequest, case: Case, form: SummaryForm, preview: Any, status: int = 200
) -> HttpResponse:
    context = {
        "case": case,
        "form": form,
        "preview": preview,
        "given": list(sessions_access.case_partner_summaries(request.user, case)),
    }
    return render(request, "documents/closing_partner.html", context, status=status)


@login_required
def partner_summary(request: HttpRequest, pk: int) -> HttpResponse:
    posted = request.method == "POST"
    event = EVENT_GIVE if posted else EVENT_READ
    case = access.document_case(request, pk, event)
    if case.is_open:
        if posted:
            record(request, event, case=case, outcome=Outcome.INVALID, detail="case open")
            messages.error(
                request, _("Close the case first: the summary is for a therapy that has ended.")
            )
            return redirect("cases:partner_summary", pk=case.pk)
        return render(request, "documents/closing_partner.html", {"case": case, "open": True})
    found = offer(request, case)
    if not posted:
        initial = {
            "note": case.closing_note,
            "cycle": found.cycle is not None,
            "exercises": bool(found.slugs),
            "request_id": uuid.uuid4(),
        }
        record_many(
            [*found.events, prepare(request, EVENT_READ, obj=case, case=case, detail="form")]
        )
        return _page(request, case, SummaryForm(initial=initial), None)
    form = SummaryForm(request.POST)
    if not form.is_valid():
        record_many([*found.events, prepare(request, event, case=case, outcome=Outcome.INVALID)])
        return _page(request, case, form, None, status=400)
    data = form.cleaned_data
    cycle, slugs = chosen(found, data)
    if request.POST.get("action") == "give":
        try:
            _summary, made = summaries.give(
                request,
                case,
                note=data["note"],
                cycle=cycle,
                exercises=slugs,
                request_id=data["request_id"],
            )
        except RequestIdTaken:
            record(request, event, case=case, outcome=Outcome.INVALID, detail="request id")
            return _page(request, case, form, None, status=400)
        record_many(found.events)
        if made:
            messages.success(
                request, _("The summary has been given. Both partners can read it now.")
            )
        else:
            messages.info(request, _("This summary had been given already."))
        return redirect("cases:partner_summary", pk=case.pk)
    parts = summaries.parts(cycle, slugs, data["note"])
    preview = closed_copy.body(
        case, outcome=case.outcome, note=data["note"], cycle=cycle, slugs=slugs
    )
    record_many(
        [
            *found.events,
            prepare(
                request, EVENT_READ, obj=case, case=case, detail="preview: " + ", ".join(parts)
            ),
        ]
    )
    return _page(request, case, form, preview)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int, summary_id: int) -> HttpResponse:
    case = access.document_case(request, pk, EVENT_WITHDRAW)
    summary = (
        sessions_access.case_partner_summaries(request.user, case).filter(pk=summary_id).first()
    )
    if summary is None:
        policy.refuse(request, EVENT_WITHDRAW, f"summary id {summary_id}", case=case)
    try:
        summaries.withdraw(request, summary)
    except summaries.AlreadyWithdrawn:
        messages.info(request, _("This summary had been withdrawn already."))
    else:
        messages.success(
            request, _("The summary has been withdrawn. The partners no longer see it.")
        )
    return redirect("cases:partner_summary", pk=case.pk)


@login_required
def my_closing_pdf(request: HttpRequest) -> HttpResponse:
    """A partner's own copy of what was given to them, as a PDF."""
    partner = policy.partner_or_403(request, closed_ok=True)
    copy = closed_copy.partner_copy(request, partner, detail="pdf")
    if copy["summary"] is None and copy["cycle"] is None:
        raise Http404
    context = {
        **copy,
        "partner": partner,
        "practice_name": partner.case.practice.name,
        "language": get_language() or "nl",
    }
    response = HttpResponse(closing_layout.render(context), content_type="application/pdf")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="dyade-{day}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
