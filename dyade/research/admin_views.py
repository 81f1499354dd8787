"""The practice admin sets up studies: texts for partners, researchers, status."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dyade.audit.services import record
from dyade.cases import policy
from dyade.db.once import RequestIdTaken, create_once_by_request_id
from dyade.research import access
from dyade.research.forms import StudyForm
from dyade.research.models import Study, StudyStatus


def _admin_only(request: HttpRequest) -> None:
    if not access.can_manage_studies(request.user):
        raise PermissionDenied


@login_required
def studies(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    rows = [
        {"study": study, "size": access.study_size(request.user, study)}
        for study in access.managed_studies(request.user).prefetch_related("researchers")
    ]
    return render(request, "research/admin_studies.html", {"rows": rows})


@login_required
def study_new(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    researchers = policy.researchers_for(request.user).filter(is_active=True)
    form = StudyForm(request.POST or None, researchers=researchers, practice=request.user.practice)
    if request.method == "POST" and form.is_valid():
        request_id = form.cleaned_data.get("request_id")

        def create() -> Study:
            made = form.save(commit=False)
            made.practice_id = request.user.practice_id
            made.created_by = request.user
            made.request_id = request_id
            if made.status != StudyStatus.DRAFT:
                made.opened_at = timezone.now()
            made.save()
            form.save_m2m()
            record(request, "study.create", obj=made, detail=made.status)
            return made

        try:
            study, created = create_once_by_request_id(
                Study, request_id, create, practice_id=request.user.practice_id
            )
        except RequestIdTaken:  # an id from another practice's form: make nothing
            raise Http404 from None
        if not created:  # the same form sent again, or twice at once
            return redirect("practice:study", study.pk)
        messages.success(request, _("The study has been saved."))
        return redirect("practice:study", study.pk)
    if request.method != "POST":
        form = StudyForm(
            initial={"request_id": uuid.uuid4(), "data_from": timezone.localdate()},
            researchers=researchers,
        )
    return render(request, "research/admin_study.html", {"form": form, "study": None})


@login_required
def study_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _admin_only(request)
    study = access.managed_studies(request.user).filter(pk=pk).first()
    if study is None:
        raise Http404
    researchers = policy.researchers_for(request.user).filter(is_active=True)
    was_draft = study.status == StudyStatus.DRAFT
    form = StudyForm(request.POST or None, instance=study, researchers=researchers)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            study = form.save(commit=False)
            if was_draft and study.status != StudyStatus.DRAFT:
                study.opened_at = timezone.now()
            study.save()
            form.save_m2m()
            record(request, "study.update", obj=study, detail=study.status)
        messages.success(request, _("The study has been saved."))
        return redirect("practice:study", study.pk)
    context = {
        "form": form,
        "study": study,
        "size": access.study_size(request.user, study),
        "exports": study.exports.select_related("researcher")[:50],
    }
    return render(request, "research/admin_study.html", context)
