"""The researcher's pages: their studies, the export, and the models on the web."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dyade.audit.services import record
from dyade.cases import policy
from dyade.clinic.research import build
from dyade.i18n import language as _language
from dyade.research import access, analysis
from dyade.research.forms import AnalysisForm, ExportForm
from dyade.research.models import StudyStatus
from dyade.research.services import make_export, record_reads, study_data


def _researcher_only(request: HttpRequest) -> None:
    if not policy.can_use_research(request.user):
        raise PermissionDenied


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _researcher_only(request)
    rows = [
        {"study": study, "size": access.study_size(request.user, study)}
        for study in access.research_studies(request.user)
    ]
    record(request, "research.study.list", detail=f"{len(rows)} studies")
    return render(request, "research/home.html", {"rows": rows})


@login_required
def study(request: HttpRequest, pk: int) -> HttpResponse:
    _researcher_only(request)
    found = access.get_research_study(request, pk, "research.study.read")
    record(request, "research.study.read", obj=found)
    language = _language()
    codebook = build([], free_text=found.allows_free_text).codebook
    context = {
        "study": found,
        "size": access.study_size(request.user, found),
        "form": ExportForm(initial={"request_id": uuid.uuid4()}),
        "can_export": found.status != StudyStatus.DRAFT,
        "codebook": [
            {
                "name": v.name,
                "label": v.label(language),
                "files": ", ".join(v.files),
                "values": v.values_text(language),
            }
            for v in codebook
        ],
        "exports": found.exports.select_related("researcher")[:50],
    }
    return render(request, "research/study.html", context)


@login_required
@require_POST
def export(request: HttpRequest, pk: int) -> HttpResponse:
    _researcher_only(request)
    found = access.get_research_study(request, pk, "research.export.create")
    form = ExportForm(request.POST)
    if not form.is_valid() or found.status == StudyStatus.DRAFT:
        messages.error(
            request,
            _("Choose one of the file formats.")
            if found.status != StudyStatus.DRAFT
            else _("A study in draft has no data yet."),
        )
        return redirect("research:study", found.pk)
    fmt = form.cleaned_data["format"]
    done, content = make_export(request, found, fmt, form.cleaned_data.get("request_id"))
    stamp = timezone.localtime(done.created_at).strftime("%Y%m%d-%H%M")
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="dyade-study-{found.pk}-{fmt}-{stamp}.zip"'
    )
    return response


@login_required
def analyse(request: HttpRequest, pk: int) -> HttpResponse:
    _researcher_only(request)
    found = access.get_research_study(request, pk, "research.data.read")
    language = _language()
    labels = {v.name: v.label(language) for v in build([], free_text=False).codebook}
    form = AnalysisForm(request.GET or None, labels=labels)
    result = None
    problem = ""
    if request.GET and form.is_valid():
        data = study_data(request.user, found)
        record_reads(
            request, found, data.cases, f"study {found.pk}, analysis {form.cleaned_data['model']}"
        )
        try:
            result = analysis.run(data.dataset, form.cleaned_data, labels)
        except analysis.AnalysisProblem as error:
            problem = str(error)
    context = {"study": found, "form": form, "result": result, "problem": problem}
    return render(request, "research/analysis.html", context)
