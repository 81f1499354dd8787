"""The partner's phone pages: home, today's diary, earlier entries, quick exit."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dyade.audit.services import Outcome, record
from dyade.cases import policy
from dyade.clinic import diary as rules
from dyade.diary import access, services
from dyade.diary.forms import DiaryForm
from dyade.diary.models import DiaryItems


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
    partner = policy.partner_or_403(request)
    date = _parse_day(day)
    today_ = timezone.localdate()
    editable = access.can_write_diary(request.user, partner, date, today_)
    existing = services.own_entry(request, partner, date)
    if not editable:
        if existing is None:
            raise Http404
        if request.method == "POST":
            record(
                request,
                "diary.update",
                obj=existing,
                partner=partner,
                outcome=Outcome.DENIED,
                detail="read-only day",
            )
            messages.error(request, _("Entries older than yesterday can no longer be changed."))
        view = access.entry_fields(request.user, existing)
        return render(request, "diary/entry_readonly.html", {"entry": view, "date": date})
    items = DiaryItems.objects.filter(case_id=partner.case_id).first()
    disabled = list(items.disabled) if items is not None else []
    if request.method == "POST":
        form = DiaryForm(request.POST, disabled=disabled)
        if form.is_valid():
            _entry, created = services.save_entry(request, partner, date, form.cleaned_data)
            messages.success(
                request,
                _("Saved. Thank you for filling in your diary.")
                if created
                else _("Your changes have been saved."),
            )
            return redirect("diary:home")
        record(
            request,
            "diary.update" if existing else "diary.create",
            partner=partner,
            outcome=Outcome.INVALID,
            detail=date.isoformat(),
        )
    elif existing is not None:
        form = DiaryForm(initial=DiaryForm.initial_from(existing), disabled=disabled)
    else:
        form = DiaryForm(initial={"note_visibility": "private"}, disabled=disabled)
    context = {
        "form": form,
        "date": date,
        "is_today": date == today_,
        "existing": existing is not None,
        "partner": partner,
        "has_other": partner.case.kind == "couple",
    }
    return render(request, "diary/entry_form.html", context)


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
    items, _created = DiaryItems.objects.get_or_create(case=case)
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
