"""The partner's phone pages: home, today's diary, earlier entries, quick exit."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dyade.audit.services import Outcome, record
from dyade.cases import policy
from dyade.cases.models import Partner
from dyade.clinic import diary as rules
from dyade.diary import access, notices, quick_form, services
from dyade.diary.defaults import OFF_FOR_A_NEW_CASE
from dyade.diary.forms import DiaryForm
from dyade.diary.models import DiaryEntry, DiaryItems


def _parse_day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise Http404 from exc


@login_required
def today(request: HttpRequest) -> HttpResponse:
    policy.partner_or_403(request)
    return redirect("diary:entry", day=timezone.localdate().isoformat())


@login_required
def entry(request: HttpRequest, day: str) -> HttpResponse:
    # A send shows no names: the partner is read without them (decrypting costs).
    partner = policy.partner_or_403(request, texts=request.method != "POST")
    date = _parse_day(day)
    today_ = timezone.localdate()
    if not access.can_write_diary(request.user, partner, date, today_):
        if _queued(request):
            _refuse_read_only(request, partner, date)
            return JsonResponse({"saved": False, "reason": "read-only"}, status=409)
        return _read_only(request, partner, date)
    disabled = services.disabled_items(partner)
    yesterday = date < today_
    if request.method != "POST":
        # The form shows the entry as it is: reading it is audited.
        found = services.own_entry(request, partner, date)
        form = _fresh_form(found, disabled, yesterday)
        return _form_page(request, form, partner, date, found is not None)
    # A plainly valid send (nearly all of them) is read without building the form;
    # the form is built for the others, and for a page that shows the send again.
    data = quick_form.clean(request.POST, disabled)
    form = None
    if data is None:
        form = DiaryForm(request.POST, disabled=disabled, yesterday=yesterday)
        if not form.is_valid():
            return _invalid(request, form, partner, date)
        data = form.cleaned_data
    # Saving reads nothing first: one write transaction locks, writes and audits.
    try:
        how = services.save_entry(request, partner, date, data)
    except services.Busy:
        if _queued(request):
            return JsonResponse({"saved": False, "reason": "busy"}, status=503)
        messages.error(request, BUSY)
        existing = services.entry_exists(partner, date)
        form = form or _sent(request, disabled, yesterday)
        return _form_page(request, form, partner, date, existing, status=503)
    created = how is services.Saved.CREATED
    if _queued(request):
        if how is services.Saved.NEWER:
            return JsonResponse({"saved": False, "reason": "newer"}, status=409)
        return JsonResponse({"saved": True, "created": created})
    if how is services.Saved.NEWER:
        form = form or _sent(request, disabled, yesterday)
        return _newer_page(request, form, partner, date, disabled, yesterday)
    # The home thanks the partner, named in its address (dyade/diary/notices.py).
    return HttpResponseRedirect(_home_url() + notices.saved_query(created))


def _invalid(
    request: HttpRequest, form: DiaryForm, partner: Partner, date: dt.date
) -> HttpResponse:
    """A send the form refused: nothing saved, the refusal audited, the form shown with
    what was typed and what to change."""
    existing = services.entry_exists(partner, date)
    record(
        request,
        "diary.update" if existing else "diary.create",
        partner=partner,
        outcome=Outcome.INVALID,
        detail=date.isoformat(),
    )
    if _queued(request):
        return JsonResponse({"saved": False, "reason": "invalid"}, status=400)
    return _form_page(request, form, partner, date, existing)


def _sent(request: HttpRequest, disabled: list[str], yesterday: bool) -> DiaryForm:
    """The form of a send that was read without it (a page that shows it again)."""
    form = DiaryForm(request.POST, disabled=disabled, yesterday=yesterday)
    form.is_valid()
    return form


def _queued(request: HttpRequest) -> bool:
    """A diary kept on the phone while offline and sent by dyade/diary-queue.js: it
    gets a short JSON answer instead of a page."""
    return request.method == "POST" and request.META.get("HTTP_X_DYADE_QUEUED") == "1"


_HOME: dict[str, str] = {}


def _home_url() -> str:
    """The partner's home, worked out once per script prefix (``redirect()`` costs
    a fifth of a millisecond per submit to find the same address)."""
    prefix = get_script_prefix()
    url = _HOME.get(prefix)
    if url is None:
        url = _HOME[prefix] = reverse("diary:home")
    return url


def _fresh_form(found: DiaryEntry | None, disabled: list[str], yesterday: bool) -> DiaryForm:
    """The form for the day as it is stored, as a new form (its own request id)."""
    if found is not None:
        initial = DiaryForm.initial_from(found)
    else:
        initial = {"note_visibility": "private", "based_on": 0}
    initial["request_id"] = uuid.uuid4()
    return DiaryForm(initial=initial, disabled=disabled, yesterday=yesterday)


def _newer_page(
    request: HttpRequest,
    sent: DiaryForm,
    partner: Partner,
    date: dt.date,
    disabled: list[str],
    yesterday: bool,
) -> HttpResponse:
    """The day changed elsewhere after this form was shown: the newer answers are kept
    and shown in the form; what was sent is listed above it to copy from."""
    found = services.own_entry(request, partner, date)
    form = _fresh_form(found, disabled, yesterday)
    return _form_page(request, form, partner, date, True, status=409, not_applied=_answers(sent))


def _answers(form: DiaryForm) -> list[tuple[str, str, bool]]:
    """The answers of a valid form as (question, answer, is free text), in the partner's words."""
    shown = []
    for name in form.fields:
        if name in ("request_id", "based_on"):
            continue
        value = form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        field = form.fields[name]
        if isinstance(value, bool):
            value = "yes" if value else "no"
        choices = dict(getattr(field, "choices", []) or [])
        shown.append((str(form[name].label), str(choices.get(value, value)), name == "note"))
    return shown


BUSY = gettext_lazy(
    "Dyade was too busy to save this just now. Nothing you typed has been lost: "
    "please press Save again."
)


def _form_page(
    request: HttpRequest,
    form: DiaryForm,
    partner: Partner,
    date: dt.date,
    existing: bool,
    status: int = 200,
    not_applied: list[tuple[str, str, bool]] | None = None,
) -> HttpResponse:
    context = {
        "not_applied": not_applied,
        "form": form,
        "date": date,
        "is_today": date == timezone.localdate(),
        "note_limit": rules.NOTE_MAX_LENGTH,
        "existing": existing,
        "partner": partner,
        "has_other": partner.case.kind == "couple",
    }
    return render(request, "diary/entry_form.html", context, status=status)


def _read_only(request: HttpRequest, partner: Partner, date: dt.date) -> HttpResponse:
    """A day that can no longer be changed: shown as it is, a change refused (and audited)."""
    existing = services.own_entry(request, partner, date)
    if existing is None:
        raise Http404
    if request.method == "POST":
        _refuse_read_only(request, partner, date, existing)
        messages.error(request, _("Entries older than yesterday can no longer be changed."))
    view = access.entry_fields(request.user, existing)
    return render(request, "diary/entry_readonly.html", {"entry": view, "date": date})


def _refuse_read_only(
    request: HttpRequest, partner: Partner, date: dt.date, existing: DiaryEntry | None = None
) -> None:
    record(
        request,
        "diary.update",
        obj=existing,
        partner=partner,
        outcome=Outcome.DENIED,
        detail=f"{date.isoformat()} read-only day",
    )


def quick_exit(request: HttpRequest) -> HttpResponse:
    """Leave at once: end the session and go to a neutral site."""
    if request.user.is_authenticated:
        logout(request)
    return HttpResponseRedirect(settings.DYADE_QUICK_EXIT_URL)


ITEM_LABELS = {
    "contact_kind": gettext_lazy("kind of sexual contact"),
    "initiator": gettext_lazy("who took the initiative"),
    "bid_answer": gettext_lazy("bids for sex and their answers"),
    "sexual_satisfaction": gettext_lazy("sexual satisfaction"),
    "motive": gettext_lazy("motive for sex (approach or avoidance)"),
    "perceived_desire": gettext_lazy("the partner's desire as each reads it"),
    "perceived_mood": gettext_lazy("the partner's mood as each reads it"),
}


@login_required
def diary_items(request: HttpRequest, pk: int) -> HttpResponse:
    """A case's therapist switches the optional diary items on or off for that case."""
    if not policy.can_create_case(request.user):
        raise PermissionDenied
    case = policy.get_case(request, pk, event="diary_items.update")
    items, _created = DiaryItems.objects.get_or_create(
        case=case, defaults={"disabled": list(OFF_FOR_A_NEW_CASE)}
    )
    if request.method == "POST":
        chosen = set(request.POST.getlist("on"))
        with transaction.atomic():
            items.disabled = [name for name in rules.OPTIONAL if name not in chosen]
            items.updated_at = timezone.now()
            items.save(update_fields=["disabled", "updated_at"])
            record(
                request, "diary_items.update", obj=items, case=case, detail=",".join(items.disabled)
            )
        messages.success(request, _("The diary items have been saved."))
        return redirect("cases:diary_items", pk=case.pk)
    record(request, "diary_items.read", obj=items, case=case)
    rows = [(name, ITEM_LABELS[name], name not in items.disabled) for name in rules.OPTIONAL]
    return render(request, "diary/items.html", {"case": case, "rows": rows})
