"""The partner's questionnaire pages: one page at a time, saved as they go."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dyade.audit.services import Outcome, record
from dyade.cases import policy
from dyade.clinic.instruments import Instrument, text_in
from dyade.clinic.visibility import Relation
from dyade.content import instrument_in
from dyade.i18n import content_language
from dyade.i18n import language as _language
from dyade.questionnaires import access, services
from dyade.questionnaires.display import answer_text
from dyade.questionnaires.forms import PageForm
from dyade.questionnaires.models import Administration


def _definition(administration: Administration) -> Instrument:
    """The instrument as this partner reads it (formal Dutch for a practice that says "u")."""
    return instrument_in(administration.definition(), content_language())


@login_required
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    partner = policy.partner_or_403(request)
    with transaction.atomic():
        administrations = list(access.own_administrations(request.user))
        record(request, "questionnaire.list", partner=partner, detail=f"{len(administrations)}")
    language = _language()
    rows = [
        {
            "administration": administration,
            "title": text_in(_definition(administration).titles, language),
            "pages": len(administration.definition().pages),
        }
        for administration in administrations
    ]
    return render(request, "questionnaires/list.html", {"rows": rows})


@login_required
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    administration = access.get_own_administration(request, pk)
    if not administration.is_open:
        return redirect("diary:questionnaire_review", pk=pk)
    if administration.pages_seen >= len(administration.definition().pages):
        return redirect("diary:questionnaire_review", pk=pk)
    return redirect("diary:questionnaire_page", pk=pk, number=administration.page + 1)


def _page_form(
    request: HttpRequest, administration: Administration, index: int, data: object = None
) -> PageForm:
    instrument = _definition(administration)
    language = _language()
    answers = access.answer_view(request.user, administration, instrument, Relation.AUTHOR)
    return PageForm(
        data,
        page=instrument.pages[index],
        instrument=instrument,
        language=language,
        question_texts=services.question_texts(administration, language),
        anchors=services.anchor_texts(administration, language),
        answers=answers,
    )


@login_required
def page(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    event = "questionnaire.update" if request.method == "POST" else "questionnaire.read"
    administration = access.get_own_administration(request, pk, event=event)
    instrument = _definition(administration)
    if not 1 <= number <= len(instrument.pages):
        record(request, event, obj=administration, outcome=Outcome.INVALID, detail=f"page {number}")
        raise Http404
    if not administration.is_open:
        messages.info(request, _("You have sent this questionnaire; it can no longer be changed."))
        return redirect("diary:questionnaire_review", pk=pk)
    index = number - 1
    if request.method == "POST":
        form = _page_form(request, administration, index, request.POST)
        if form.is_valid():
            action = request.POST.get("action", "next")
            target = {"back": index - 1, "stop": index}.get(action, index + 1)
            try:
                services.save_page(
                    request, administration, index, form.answer_values(), max(target, 0)
                )
            except services.Locked:
                messages.info(
                    request, _("You have sent this questionnaire; it can no longer be changed.")
                )
                return redirect("diary:questionnaire_review", pk=pk)
            if action == "stop":
                messages.success(request, _("Saved. You can go on later where you left off."))
                return redirect("diary:home")
            if target < 0:
                return redirect("diary:questionnaire_page", pk=pk, number=1)
            if target >= len(instrument.pages):
                return redirect("diary:questionnaire_review", pk=pk)
            return redirect("diary:questionnaire_page", pk=pk, number=target + 1)
        record(
            request,
            event,
            obj=administration,
            partner=administration.partner,
            outcome=Outcome.INVALID,
        )
    else:
        with transaction.atomic():
            services.open_for_reading(request, administration)
            form = _page_form(request, administration, index)
    current = instrument.pages[index]
    context = {
        "administration": administration,
        "title": text_in(instrument.titles, _language()),
        "page_title": text_in(current.texts, _language()),
        "form": form,
        "number": number,
        "count": len(instrument.pages),
        "clinical_page": current.visibility == "clinical",
        "is_last": number == len(instrument.pages),
        "has_other": administration.partner.other is not None,
        "key_only": instrument.key_only,
        "source": instrument.source if instrument.key_only else "",
        "questions_language": _fallback(administration),
    }
    return render(request, "questionnaires/page.html", context)


def _fallback(administration: Administration) -> str:
    """The other language the questions must be shown in, or "" when they are in the page's."""
    shown = services.shown_language(administration, _language())
    return "" if shown == _language() else shown


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    event = "questionnaire.update" if request.method == "POST" else "questionnaire.read"
    administration = access.get_own_administration(request, pk, event=event)
    instrument = _definition(administration)
    language = _language()
    if request.method == "POST":
        if services.submit(request, administration):
            messages.success(
                request, _("Thank you. Your answers have been sent to your therapist.")
            )
        return redirect("diary:questionnaire_review", pk=pk)
    with transaction.atomic():
        services.open_for_reading(request, administration)
        answers = access.answer_view(request.user, administration, instrument, Relation.AUTHOR)
    texts = services.question_texts(administration, language)
    anchors = services.anchor_texts(administration, language)
    pages = []
    for index, current in enumerate(instrument.pages):
        clinical = current.visibility == "clinical"
        questions = [item for item in current.questions if item.visibility != "clinical"]
        rows = []
        for item in questions:
            label = texts.get(item.link_id) or text_in(item.texts, language)
            rows.append((label, answer_text(item, answers.get(item.link_id), language, anchors)))
        pages.append(
            {
                "number": index + 1,
                "title": text_in(current.texts, language)
                or _("Page %(number)s") % {"number": index + 1},
                "clinical": clinical,
                "rows": rows,
                "answered": sum(1 for item in questions if item.link_id in answers),
                "total": len(questions),
            }
        )
    context = {
        "administration": administration,
        "title": text_in(instrument.titles, language),
        "pages": pages,
        "has_clinical": any(item.visibility == "clinical" for item in instrument.questions),
    }
    return render(request, "questionnaires/review.html", context)
