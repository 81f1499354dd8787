"""The therapist's questionnaire pages of a case: give, overview, read, reopen, export."""

from __future__ import annotations

import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dyade.audit.services import Outcome, prepare, record, record_many
from dyade.cases import closed_guard, policy
from dyade.cases.models import Case, Partner
from dyade.clinic import intake
from dyade.clinic.instruments import text_in
from dyade.i18n import language as _language
from dyade.questionnaires import access, comparison, labels, services
from dyade.questionnaires.display import answer_text
from dyade.questionnaires.fhir import questionnaire_response
from dyade.questionnaires.forms import AssignForm


def _therapist_only(request: HttpRequest) -> None:
    if not policy.can_create_case(request.user):
        raise PermissionDenied


def assign_form(
    case: Case,
    offers: list[services.Offer],
    data: QueryDict | None = None,
    partners: list[Partner] | None = None,
) -> AssignForm:
    if partners is None:
        partners = list(case.partners.all())
    slots = [(p.slot, f"{p.name} ({p.slot})") for p in partners]
    if len(partners) == 2:
        slots.append(("both", _("Both partners")))
    return AssignForm(data, offers=offers, slots=slots, initial={"request_id": uuid.uuid4()})


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    _therapist_only(request)
    case = policy.get_case(request, pk, event="questionnaire.create")
    refused = closed_guard.refuse_if_closed(
        request, case, "questionnaire.create", "cases:questionnaires", case.pk
    )
    if refused is not None:
        return refused
    offers = services.offers(case.practice_id)
    form = assign_form(case, offers, request.POST)
    if not form.is_valid():
        record(request, "questionnaire.create", case=case, outcome=Outcome.INVALID)
        messages.error(request, _("Choose a questionnaire and who should fill it in."))
        return redirect("cases:questionnaires", pk=case.pk)
    offer = next(o for o in offers if o.instrument.id == form.cleaned_data["instrument"])
    who = form.cleaned_data["who"]
    partners = [p for p in case.partners.all() if who in ("both", p.slot)]
    results = services.assign(
        request, case, partners, offer.instrument, form.cleaned_data["request_id"]
    )
    created = [a for a, made in results if made]
    if created:
        messages.success(
            request,
            _("%(title)s has been given to %(names)s.")
            % {
                "title": text_in(offer.instrument.titles, _language()),
                "names": ", ".join(a.partner.name for a in created),
            },
        )
    else:
        messages.info(
            request, _("Nothing new: this questionnaire was already waiting to be filled in.")
        )
    return redirect("cases:questionnaires", pk=case.pk)


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    """Scores side by side, the attachment plot, what differs, the hopes, and safety first."""
    _therapist_only(request)
    case = policy.get_case(request, pk, event="questionnaire.list")
    language = _language()
    partners = list(case.partners.all())
    administrations = list(access.case_administrations(request.user, case))
    # One event for the list and one per sent questionnaire read, written together.
    events = [
        prepare(
            request, "questionnaire.list", obj=case, case=case, detail=f"{len(administrations)}"
        )
    ]
    events += access.sent_read_events(request, case, administrations)
    record_many(events)  # before anything is shown
    data = comparison.build(partners, administrations, language)
    offers = services.offers(case.practice_id)
    rows = []
    for administration in administrations:
        instrument = administration.definition()
        rows.append(
            {
                "administration": administration,
                "title": text_in(instrument.titles, language),
                "pages": len(instrument.pages),
            }
        )
    context = {
        "case": case,
        "partners": partners,
        "rows": rows,
        "form": assign_form(case, offers, partners=partners),
        "offers": offers,
        "summary_rows": labels.SUMMARY_ROWS,
        **data,
    }
    return render(request, "questionnaires/overview.html", context)


@login_required
def detail(request: HttpRequest, pk: int, administration_id: int) -> HttpResponse:
    _therapist_only(request)
    case = policy.get_case(request, pk)
    administration = access.get_case_administration(request, case, administration_id)
    instrument = administration.definition()
    language = _language()
    with transaction.atomic():
        services.open_for_reading(request, administration)
        answers = access.answer_view(request.user, administration, instrument)
    texts = services.question_texts(administration, language)
    anchors = services.anchor_texts(administration, language)
    pages = []
    for index, page in enumerate(instrument.pages):
        pages.append(
            {
                "title": text_in(page.texts, language)
                or _("Page %(number)s") % {"number": index + 1},
                "clinical": page.visibility == "clinical",
                "rows": [
                    {
                        "text": texts.get(item.link_id)
                        or text_in(item.texts, language)
                        or item.link_id,
                        "answer": answer_text(item, answers.get(item.link_id), language, anchors),
                        "clinical": item.visibility == "clinical",
                        "answered": item.link_id in answers,
                    }
                    for item in page.questions
                ],
            }
        )
    context = {
        "case": case,
        "administration": administration,
        "instrument": instrument,
        "title": text_in(instrument.titles, language),
        "pages": pages,
        "scores": services.scores_of(administration) if not administration.is_open else None,
        "summary": intake.summarise(answers) if instrument.id == comparison.INTAKE_ID else None,
        "can_reopen": access.can_reopen(request.user, administration),
    }
    return render(request, "questionnaires/detail.html", context)


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int, administration_id: int) -> HttpResponse:
    _therapist_only(request)
    case = policy.get_case(request, pk, event="questionnaire.update")
    administration = access.get_case_administration(
        request, case, administration_id, event="questionnaire.update"
    )
    if services.reopen(request, administration):
        messages.success(
            request, _("The questionnaire is open again; the partner can change their answers.")
        )
    else:
        messages.info(request, _("This questionnaire is already open."))
    return redirect("cases:questionnaire", pk=case.pk, administration_id=administration.pk)


@login_required
def export(request: HttpRequest, pk: int, administration_id: int) -> HttpResponse:
    """A sent administration as a FHIR QuestionnaireResponse (JSON download)."""
    _therapist_only(request)
    case = policy.get_case(request, pk, event="questionnaire.read")
    administration = access.get_case_administration(request, case, administration_id)
    if administration.is_open:
        messages.info(request, _("Only a sent questionnaire can be exported."))
        return redirect("cases:questionnaire", pk=case.pk, administration_id=administration.pk)
    instrument = administration.definition()
    with transaction.atomic():
        answers = access.answer_view(request.user, administration, instrument)
        resource = questionnaire_response(administration, answers, instrument)
        record(
            request,
            "questionnaire.read",
            obj=administration,
            partner=administration.partner,
            detail="FHIR export",
        )
    response = HttpResponse(
        json.dumps(resource, ensure_ascii=False, indent=2),
        content_type="application/fhir+json; charset=utf-8",
    )
    filename = f"questionnaire-response-{administration.pk}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
