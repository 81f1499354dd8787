"""The tablet in the room: one partner's check-in, nothing else, locked after sending.

See :mod:`dyade.sessions.room` for the lock. The page is shown in the partner's
language, shows no answer saved before and no name but the partner's own, and
after sending only thanks them and asks to give the tablet back.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dyade.audit.services import Outcome, record
from dyade.cases import closed_guard, policy
from dyade.clinic.instruments import text_in
from dyade.content import FORMAL_DUTCH, instrument_in
from dyade.questionnaires import access as questionnaires_access
from dyade.questionnaires import services as questionnaire_services
from dyade.questionnaires.forms import PageForm
from dyade.sessions import room
from dyade.sessions.appointment_forms import UnlockForm


def _speech(administration: Any) -> str:
    """How the tablet speaks to the partner holding it: their language, and "u" in Dutch
    when their practice addresses partners formally (the tablet runs on the therapist's
    account, whose own pages stay in plain Dutch)."""
    language = str(administration.partner.language)
    if language == "nl" and administration.case.practice.formal_dutch:
        return FORMAL_DUTCH
    return language


def _locked_check_in(request: HttpRequest) -> Any:
    """The check-in this tablet is locked to, read as the therapist may; None if gone."""
    locked = room.state(request)
    if locked is None:
        return None
    case = policy.cases_for(request.user).filter(pk=locked.get("case")).first()
    if case is None:
        return None
    return (
        questionnaires_access.case_check_ins(request.user, case)
        .select_related("partner", "case__practice")
        .filter(pk=locked.get("administration"))
        .first()
    )


def _form(
    administration: Any, instrument: Any, index: int, language: str, data: Any = None
) -> PageForm:
    return PageForm(
        data,
        page=instrument.pages[index],
        instrument=instrument,
        language=language,
        question_texts=questionnaire_services.question_texts(administration, language),
        anchors=questionnaire_services.anchor_texts(administration, language),
        answers={},  # nothing saved before is shown on a tablet that others hold
    )


def _page_number(raw: str | None, count: int) -> int:
    if raw and raw.isascii() and raw.isdigit() and len(raw) <= 3:
        return min(max(int(raw), 1), count)
    return 1


def _closed(request: HttpRequest, administration: Any) -> HttpResponse:
    """The case was closed while the tablet was in a partner's hands: nothing is shown or
    saved, the attempt is audited as invalid, and the page asks for the tablet back."""
    partner = administration.partner
    event = "questionnaire.update" if request.method == "POST" else "questionnaire.read"
    record(
        request,
        event,
        obj=administration,
        partner=partner,
        outcome=Outcome.INVALID,
        detail=f"room: {closed_guard.DETAIL}",
    )
    language = partner.language
    with translation.override(_speech(administration)):
        context = {"closed": True, "unlock_form": UnlockForm(), "language": language}
        status = 409 if request.method == "POST" else 200
        return render(request, "sessions/room.html", context, status=status)


@login_required
def page(request: HttpRequest) -> HttpResponse:
    locked = room.state(request)
    administration = _locked_check_in(request)
    if locked is None or administration is None:
        room.unlock(request)
        return redirect("home")
    partner = administration.partner
    if not administration.case.is_open:
        return _closed(request, administration)
    if request.method != "POST":  # a page sent is logged as the write it makes
        record(request, "questionnaire.read", obj=administration, partner=partner, detail="room")
    language = partner.language
    unlock_form = UnlockForm()
    speech = _speech(administration)
    with translation.override(speech):
        instrument = instrument_in(administration.definition(), speech)
        count = len(instrument.pages)
        context: dict[str, Any] = {
            "name": partner.name,
            "title": text_in(instrument.titles, language),
            "description": text_in(instrument.descriptions, language),
            "unlock_form": unlock_form,
            "language": language,
            "sent": not administration.is_open,
            "late": administration.is_open and not room.in_time(locked),
        }
        if context["sent"] or context["late"]:
            return render(request, "sessions/room.html", context)
        number = _page_number(request.POST.get("page") or request.GET.get("page"), count)
        index = number - 1
        if request.method == "POST":
            form = _form(administration, instrument, index, language, request.POST)
            if form.is_valid():
                last = number == count
                with transaction.atomic():
                    try:
                        questionnaire_services.save_page(
                            request, administration, index, form.answer_values(), index + 1
                        )
                    except questionnaire_services.Locked:
                        return redirect("room:page")
                    if last:
                        questionnaire_services.submit(request, administration)
                        record(
                            request,
                            "questionnaire.update",
                            obj=administration,
                            partner=partner,
                            detail="sent in the room",
                        )
                if last:
                    return redirect("room:page")
                return redirect(f"{request.path}?page={number + 1}")
            record(
                request,
                "questionnaire.update",
                obj=administration,
                partner=partner,
                outcome=Outcome.INVALID,
            )
        else:
            form = _form(administration, instrument, index, language)
        context.update({"form": form, "number": number, "count": count, "is_last": number == count})
        return render(request, "sessions/room.html", context)


@login_required
@require_POST
def unlock(request: HttpRequest) -> HttpResponse:
    """The therapist takes the tablet back with their password."""
    locked = room.state(request)
    if locked is None:
        return redirect("home")
    form = UnlockForm(request.POST)
    if form.is_valid() and request.user.check_password(form.cleaned_data["password"]):
        record(request, "check_in_room.update", detail=f"session {locked.get('appointment')}")
        room.unlock(request)
        return redirect(
            "cases:session", pk=locked.get("case"), appointment_id=locked.get("appointment")
        )
    wrong = room.wrong_password(request)
    record(
        request, "check_in_room.update", outcome=Outcome.INVALID, detail=f"wrong password {wrong}"
    )
    if wrong >= room.WRONG_PASSWORDS:
        logout(request)  # ends the lock too: the therapist logs in again
        return redirect("accounts:login")
    administration = _locked_check_in(request)
    speech = _speech(administration) if administration is not None else None
    with translation.override(speech):
        context = {
            "unlock_form": form,
            "unlock_error": _("That is not the password."),
            "sent": administration is None or not administration.is_open,
            "late": True,
            "name": administration.partner.name if administration is not None else "",
        }
        return render(request, "sessions/room.html", context, status=400)
