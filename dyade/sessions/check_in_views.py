"""A partner starts a session check-in on their phone; the questionnaire pages fill it in."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dyade.audit.services import Outcome, record
from dyade.cases import policy
from dyade.db.forms import is_id
from dyade.sessions import access, check_ins


class StartForm(forms.Form):
    appointment = forms.CharField(max_length=19)
    moment = forms.ChoiceField(choices=[("before", "before"), ("after", "after")])
    request_id = forms.UUIDField(required=False)

    def clean_appointment(self) -> int:
        value = self.cleaned_data["appointment"]
        if not is_id(value):
            raise forms.ValidationError("not an id")
        return int(value)


def start_fields(due: check_ins.Due) -> dict[str, object]:
    """The hidden fields of a start button on the partner's home."""
    return {"appointment": due.appointment.pk, "moment": due.moment, "request_id": uuid.uuid4()}


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    partner = policy.partner_or_403(request)
    form = StartForm(request.POST)
    if not form.is_valid():
        record(request, "questionnaire.create", partner=partner, outcome=Outcome.INVALID)
        messages.error(request, _("This check-in could not be started. Please try again."))
        return redirect("diary:home")
    pk = form.cleaned_data["appointment"]
    appointment = access.own_appointments(request.user).filter(pk=pk).first()
    if appointment is None:
        policy.refuse(request, "questionnaire.create", f"appointment id {pk}")
    try:
        administration, _created = check_ins.start(
            request,
            partner,
            appointment,
            form.cleaned_data["moment"],
            form.cleaned_data["request_id"],
        )
    except check_ins.NotOpen:
        record(request, "questionnaire.create", partner=partner, outcome=Outcome.INVALID)
        messages.info(request, _("This check-in is closed: its time has passed."))
        return redirect("diary:home")
    except check_ins.Busy:
        record(request, "questionnaire.create", partner=partner, outcome=Outcome.INVALID)
        messages.info(
            request,
            _("You have this questionnaire open already; finish that one first."),
        )
        return redirect("diary:questionnaires")
    if not administration.is_open:
        messages.info(request, _("You have sent this check-in already. Thank you."))
        return redirect("diary:home")
    return redirect("diary:questionnaire", pk=administration.pk)
