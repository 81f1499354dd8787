"""The practice admin's page for the practice's own values for reliable change.

A list of the outcome measures with a ``change`` part, saying for each whether
its file ships an SD and reliability (those always win) or the practice has
entered its own, and a form to enter, change or remove them. Only the practice
admin of the practice reaches it; another practice's values are a 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from dyade.clinic.instruments import text_in
from dyade.db.once import RequestIdTaken
from dyade.progress import access, change_values
from dyade.progress.models import ChangeValues


class ValuesForm(forms.Form):
    sd = forms.FloatField(
        label=gettext_lazy("Standard deviation (SD)"),
        localize=True,
        error_messages={
            "required": gettext_lazy("Enter the standard deviation."),
            "invalid": gettext_lazy("Enter the standard deviation as a number, e.g. 4.2."),
        },
    )
    reliability = forms.FloatField(
        label=gettext_lazy("Reliability (between 0 and 1)"),
        localize=True,
        error_messages={
            "required": gettext_lazy("Enter the reliability."),
            "invalid": gettext_lazy("Enter the reliability as a number, e.g. 0.85."),
        },
    )
    source = forms.CharField(
        label=gettext_lazy("Source"),
        help_text=gettext_lazy(
            "The publication the values come from, or your practice's own norm data."
        ),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Say where the values come from.")},
    )

    def clean_sd(self) -> float:
        value = float(self.cleaned_data["sd"])
        if not value > 0:
            raise forms.ValidationError(_("The standard deviation must be above 0."))
        return value

    def clean_reliability(self) -> float:
        value = float(self.cleaned_data["reliability"])
        if not 0 < value < 1:
            raise forms.ValidationError(_("The reliability must lie between 0 and 1."))
        return value

    def clean_source(self) -> str:
        value = str(self.cleaned_data["source"]).strip()
        if not value:
            raise forms.ValidationError(_("Say where the values come from."))
        return value


class NewValuesForm(ValuesForm):
    instrument = forms.ChoiceField(
        label=gettext_lazy("Outcome measure"),
        error_messages={
            "required": gettext_lazy("Choose a measure."),
            "invalid_choice": gettext_lazy("Choose one of the measures in the list."),
        },
    )
    request_id = forms.UUIDField(widget=forms.HiddenInput, required=False)
    field_order = ["instrument", "sd", "reliability", "source"]

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [("", "—"), *choices]


def _admin(request: HttpRequest) -> int:
    if not access.can_manage_change_values(request.user):
        raise PermissionDenied
    return int(request.user.practice_id)


def _title(instrument: Any) -> str:
    return text_in(instrument.titles, get_language() or "nl") or instrument.id


@login_required
def values_list(request: HttpRequest) -> HttpResponse:
    practice_id = _admin(request)
    listing = change_values.listing(practice_id)
    choices = [
        (m.instrument.id, _title(m.instrument))
        for m in listing
        if not m.shipped and m.values is None
    ]
    form = NewValuesForm(
        request.POST or None, choices=choices, initial={"request_id": uuid.uuid4()}
    )
    if request.method == "POST" and _sent_before(practice_id, request.POST.get("request_id")):
        return redirect("practice:change_values")  # the same form again: it was saved
    if request.method == "POST" and form.is_valid():
        try:
            _row, made = change_values.create(
                request, practice_id, form.cleaned_data, form.cleaned_data["request_id"]
            )
        except RequestIdTaken:
            raise PermissionDenied from None
        if made:
            messages.success(request, _("Saved. Statuses of this measure now use these values."))
        return redirect("practice:change_values")
    rows = [
        {
            "title": _title(m.instrument),
            "id": m.instrument.id,
            "shipped": m.shipped,
            "shipped_source": m.instrument.change.source if m.instrument.change else "",
            "values": m.values,
        }
        for m in listing
    ]
    return render(
        request,
        "practice/change_values.html",
        {"rows": rows, "form": form, "can_add": bool(choices)},
    )


def _sent_before(practice_id: int, request_id: str | None) -> bool:
    try:
        sent = uuid.UUID(str(request_id))
    except ValueError:
        return False
    return ChangeValues.objects.filter(practice_id=practice_id, request_id=sent).exists()


def _own_row(practice_id: int, pk: int) -> ChangeValues:
    row = ChangeValues.objects.filter(pk=pk, practice_id=practice_id).first()
    if row is None:
        raise Http404
    return row


@login_required
def values_edit(request: HttpRequest, pk: int) -> HttpResponse:
    practice_id = _admin(request)
    row = _own_row(practice_id, pk)
    form = ValuesForm(
        request.POST or None,
        initial={"sd": row.sd, "reliability": row.reliability, "source": row.source},
    )
    if request.method == "POST" and form.is_valid():
        change_values.update(request, row, form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("practice:change_values")
    measure = next((m for m in change_values.measures() if m.id == row.instrument), None)
    return render(
        request,
        "practice/change_values_edit.html",
        {"row": row, "form": form, "title": _title(measure) if measure else row.instrument},
    )


@login_required
def values_delete(request: HttpRequest, pk: int) -> HttpResponse:
    practice_id = _admin(request)
    if request.method != "POST":
        return redirect("practice:change_values")
    row = ChangeValues.objects.filter(pk=pk).first()
    if row is not None and row.practice_id != practice_id:
        raise Http404
    if row is not None:  # else removed already (a second click): nothing left to do
        change_values.delete(request, row)
        messages.success(
            request, _("Removed. This measure has no statuses until values are entered again.")
        )
    return redirect("practice:change_values")
