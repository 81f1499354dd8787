"""The researcher's pages: their studies, the export, and the models on the web."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dyade.audit.services import record
from dyade.cases import policy
from dyade.clinic.research import build
from dyade.i18n import language as _language
from dyade.research import access, analysis, prepared, tasks
from dyade.research.forms import AnalysisForm, ExportForm
from dyade.research.models import StudyStatus
from dyade.research.services import make_export, plan, record_reads, study_data


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
        "prepared": prepared.current(request.user, found),
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
    request_id = form.cleaned_data.get("request_id")
    study_plan = plan(request.user, found)
    if prepared.needs_background(study_plan, fmt):
        return _queue(request, found, fmt, request_id)
    done, content = make_export(request, found, fmt, request_id, study_plan)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(found.pk, done)}"'
    return response


def _file_name(pk: int, done: Any) -> str:
    stamp = timezone.localtime(done.created_at).strftime("%Y%m%d-%H%M")
    return f"dyade-study-{pk}-{done.format}-{stamp}.zip"


def _queue(request: HttpRequest, found: Any, fmt: str, request_id: Any) -> HttpResponse:
    """A large study: build its files in the background and come back to the study page."""
    waiting, new = prepared.queue(request, found, fmt, request_id)
    if new:
        try:
            tasks.build_export.enqueue(waiting.pk)
        except Exception:  # the queue is down: say so rather than fail the page
            prepared.failed(waiting, "the task could not be queued")
            messages.error(request, _("The download could not be prepared. Try again later."))
            return redirect("research:study", found.pk)
    messages.info(
        request,
        _(
            "This study is large, so its files are being prepared in the background. "
            "A download link appears on this page when they are ready."
        ),
    )
    return redirect("research:study", found.pk)


@login_required
def download(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """A file prepared in the background, for the researcher who asked for it."""
    _researcher_only(request)
    found = access.get_research_study(request, pk, "research.prepared.read")
    try:
        ready, path = prepared.hand_out(request, found, token)
    except prepared.NotAvailable as problem:
        messages.error(request, str(problem))
        return redirect("research:study", found.pk)
    response = StreamingHttpResponse(prepared.chunks(path), content_type="application/zip")
    response["Content-Length"] = str(ready.size)
    response["Content-Disposition"] = f'attachment; filename="{_file_name(found.pk, ready.export)}"'
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
