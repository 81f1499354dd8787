"""A partner chooses their own reminders."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dyade.audit.services import Outcome, record
from dyade.cases import policy
from dyade.reminders.models import Reminder, Topic

DEFAULT_AT = dt.time(20, 0)


class ReminderForm(forms.Form):
    active = forms.BooleanField(required=False)
    at = forms.TimeField(
        label=gettext_lazy("at"),
        required=False,  # left empty: 20:00
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": gettext_lazy("Give a time like 20:30.")},
    )


@login_required
def reminders(request: HttpRequest) -> HttpResponse:
    partner = policy.partner_or_403(request)
    current = {r.topic: r for r in Reminder.objects.filter(partner=partner)}
    forms_by_topic = {}
    for topic, _label in Topic.choices:
        existing = current.get(topic)
        initial = {
            "active": existing.active if existing else False,
            "at": existing.at if existing else DEFAULT_AT,
        }
        forms_by_topic[topic] = ReminderForm(request.POST or None, prefix=topic, initial=initial)
    if request.method == "POST":
        if all(form.is_valid() for form in forms_by_topic.values()):
            with transaction.atomic():
                for topic, form in forms_by_topic.items():
                    Reminder.objects.update_or_create(
                        partner=partner,
                        topic=topic,
                        defaults={
                            "active": form.cleaned_data["active"],
                            "at": form.cleaned_data["at"] or DEFAULT_AT,
                            "updated_at": timezone.now(),
                        },
                    )
                record(request, "reminder.update", partner=partner)
            messages.success(request, _("Your reminders have been saved."))
            return redirect("diary:reminders")
        record(request, "reminder.update", partner=partner, outcome=Outcome.INVALID)
    else:
        record(request, "reminder.read", partner=partner)
    rows = [(label, forms_by_topic[topic]) for topic, label in Topic.choices]
    return render(request, "reminders/reminders.html", {"rows": rows, "email": request.user.email})
