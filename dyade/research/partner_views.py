"""A partner reads about a study and decides, for themselves only, whether to take part."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dyade.audit.services import Outcome, record
from dyade.cases import policy
from dyade.i18n import language as _language
from dyade.research import access
from dyade.research.forms import ConsentForm
from dyade.research.models import Consent, StudyStatus


@login_required
def my_studies(request: HttpRequest) -> HttpResponse:
    partner = policy.partner_or_403(request)
    with transaction.atomic():
        studies = list(access.partner_studies(request.user))
        mine = {c.study_id: c for c in Consent.objects.filter(partner=partner)}
        record(request, "consent.list", partner=partner, detail=f"{len(studies)} studies")
    rows = [{"study": study, "consent": mine.get(study.pk)} for study in studies]
    return render(request, "research/my_studies.html", {"rows": rows})


@login_required
def my_study(request: HttpRequest, pk: int) -> HttpResponse:
    partner = policy.partner_or_403(request)
    study = access.partner_studies(request.user).filter(pk=pk).first()
    if study is None:
        record(
            request, "consent.read", partner=partner, outcome=Outcome.DENIED, detail=f"study {pk}"
        )
        raise Http404
    consent = access.own_consent(request.user, study)
    initial = {} if consent is None else {"decision": "yes" if consent.given else "no"}
    form = ConsentForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            given = form.cleaned_data["decision"] == "yes"
            if given and study.status != StudyStatus.OPEN:
                messages.error(request, _("This study takes no new participants."))
                return redirect("diary:study", study.pk)
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        consent, created = Consent.objects.update_or_create(
                            study=study,
                            partner=partner,
                            defaults={"given": given, "decided_at": timezone.now()},
                        )
                except IntegrityError:  # the same decision sent twice at once
                    consent, created = Consent.objects.get(study=study, partner=partner), False
                    consent.given, consent.decided_at = given, timezone.now()
                    consent.save(update_fields=["given", "decided_at"])
                record(
                    request,
                    "consent.create" if created else "consent.update",
                    obj=consent,
                    partner=partner,
                    detail="yes" if given else "no",
                )
            messages.success(
                request,
                _("Thank you. You take part; you can change this at any time.")
                if given
                else _("Saved: you do not take part. Nothing of yours goes to this study."),
            )
            return redirect("diary:studies")
    else:
        with transaction.atomic():
            record(request, "consent.read", obj=study, partner=partner)
    context = {
        "study": study,
        "information": study.information(_language()),
        "consent": consent,
        "form": form,
        "open": study.status == StudyStatus.OPEN,
    }
    return render(request, "research/my_study.html", context)
