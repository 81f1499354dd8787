"""Therapist pages for a case's life: its form of work, closing and reopening, its therapists.

One page (``/cases/<pk>/manage/``) shows the four forms; each form posts to its own
address, and a form with errors is shown again on that page with what was typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dyade.audit.services import Outcome, record
from dyade.cases import lifecycle, policy
from dyade.cases.forms import CloseForm, ColleagueForm, FormOfWorkForm
from dyade.cases.models import Case, CaseForm
from dyade.clinic import caseload as rules

# The names of the tracks as the case page shows them (the sessions app's TrackName).
TRACK_LABELS = {
    rules.EFT: gettext_lazy("EFT"),
    rules.DIFFERENTIATION: gettext_lazy("Differentiation"),
    rules.SAFETY: gettext_lazy("Safety first"),
    rules.INDIVIDUAL_WORK: gettext_lazy("Individual work"),
}


def forms_of_work() -> list[tuple[Any, list[Any]]]:
    """Each form of work with the tracks that fit it, for the forms that offer a choice."""
    return [
        (label, [TRACK_LABELS[track] for track in rules.FITTING_TRACKS[value]])
        for value, label in CaseForm.choices
    ]


def _case(request: HttpRequest, pk: int, event: str) -> Case:
    if not policy.can_create_case(request.user):
        raise PermissionDenied
    return policy.get_case(request, pk, event=event)


def _colleagues(request: HttpRequest, case: Case) -> tuple[list[Any], list[Any]]:
    """Colleagues who could join (not on the case yet), and all the case's other colleagues."""
    on_case = set(case.therapists.values_list("pk", flat=True))
    everyone = [u for u in policy.colleagues_for(request.user) if u.pk != request.user.pk]
    return [u for u in everyone if u.pk not in on_case], everyone


def _page(request: HttpRequest, case: Case, status: int = 200, **forms: Any) -> HttpResponse:
    joining, everyone = _colleagues(request, case)
    context = {
        "case": case,
        "therapists": list(case.therapists.order_by("name", "email")),
        "form_form": forms.get("form_form")
        or FormOfWorkForm(initial={"form": case.form}, kind=case.kind),
        "close_form": forms.get("close_form") or CloseForm(kind=case.kind),
        "add_form": forms.get("add_form") or ColleagueForm(colleagues=joining),
        "handover_form": forms.get("handover_form") or ColleagueForm(colleagues=everyone),
        "forms_of_work": forms_of_work(),
        "fitting": [TRACK_LABELS[t] for t in rules.FITTING_TRACKS.get(case.form, ())],
    }
    return render(request, "cases/manage.html", context, status=status)


@login_required
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "case.read")
    record(request, "case.read", obj=case, case=case, detail="manage")
    return _page(request, case)


def _invalid(request: HttpRequest, case: Case, event: str, **forms: Any) -> HttpResponse:
    record(request, event, case=case, outcome=Outcome.INVALID)
    return _page(request, case, status=400, **forms)


@login_required
@require_POST
def change_form(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "case_form.update")
    form = FormOfWorkForm(request.POST, kind=case.kind)
    if not form.is_valid():
        return _invalid(request, case, "case_form.update", form_form=form)
    try:
        lifecycle.change_form(request, case, form.cleaned_data["form"])
    except lifecycle.NoChange:
        pass
    messages.success(request, _("The form of work has been saved."))
    return redirect("cases:manage", pk=case.pk)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "case_closing.create")
    form = CloseForm(request.POST, kind=case.kind)
    if not form.is_valid():
        return _invalid(request, case, "case_closing.create", close_form=form)
    data = form.cleaned_data
    try:
        lifecycle.close(
            request, case, outcome=data["outcome"], stopped_by=data["stopped_by"], note=data["note"]
        )
    except lifecycle.NoChange:
        messages.info(request, _("This case was already closed."))
    else:
        messages.success(
            request, _("The case is closed. Its partners can no longer open its pages.")
        )
    return redirect("cases:manage", pk=case.pk)


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "case_closing.delete")
    try:
        lifecycle.reopen(request, case)
    except lifecycle.NoChange:
        messages.info(request, _("This case is already open."))
    else:
        messages.success(request, _("The case is open again. Its partners can use Dyade again."))
    return redirect("cases:manage", pk=case.pk)


@login_required
@require_POST
def add_therapist(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "case_therapist.create")
    joining, _everyone = _colleagues(request, case)
    form = ColleagueForm(request.POST, colleagues=joining)
    if not form.is_valid():
        return _invalid(request, case, "case_therapist.create", add_form=form)
    try:
        lifecycle.add_therapist(request, case, form.cleaned_data["colleague"])
    except lifecycle.NoChange:
        pass
    messages.success(request, _("Your colleague now works on this case with you."))
    return redirect("cases:manage", pk=case.pk)


@login_required
@require_POST
def hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "case_therapist.update")
    _joining, everyone = _colleagues(request, case)
    form = ColleagueForm(request.POST, colleagues=everyone)
    if not form.is_valid():
        return _invalid(request, case, "case_therapist.update", handover_form=form)
    colleague = form.cleaned_data["colleague"]
    lifecycle.hand_over(request, case, colleague)
    messages.success(
        request,
        _("The case has been handed over to %(name)s. You no longer have access to it.")
        % {"name": colleague.name or colleague.email},
    )
    return redirect("cases:list")
