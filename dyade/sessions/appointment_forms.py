"""Forms for planning a session, recording it, and choosing the case's check-ins."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dyade.sessions.appointments import preselected
from dyade.sessions.models import Appointment, Attendance, PlannedFor

MINUTES_CHOICES = [(n, str(n)) for n in (30, 45, 50, 60, 75, 90, 120)]
# A session planned further off than this is a typing mistake, not a plan.
FURTHEST = dt.timedelta(days=2 * 366)


class AppointmentForm(forms.Form):
    """Plan a session, or move one that is still planned."""

    request_id = forms.UUIDField(widget=forms.HiddenInput, required=False)
    date = forms.DateField(
        label=gettext_lazy("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Give a date like 2026-12-01.")},
    )
    time = forms.TimeField(
        label=gettext_lazy("Time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": gettext_lazy("Give a time like 14:30.")},
    )
    minutes = forms.TypedChoiceField(
        label=gettext_lazy("Length in minutes"), coerce=int, choices=MINUTES_CHOICES, initial=50
    )
    planned_for = forms.ChoiceField(label=gettext_lazy("With"), widget=forms.RadioSelect)
    therapist = forms.TypedChoiceField(label=gettext_lazy("Therapist"), coerce=int)

    def __init__(
        self,
        *args: Any,
        names: dict[str, str],
        therapists: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = []
        if len(names) == 2:
            choices.append((PlannedFor.BOTH, _("both partners")))
        for slot, name in names.items():
            choices.append(
                (slot, _("%(name)s alone") % {"name": name} if len(names) == 2 else name)
            )
        if len(names) < 2:
            choices = [(PlannedFor.A, names.get("A", "A"))]
        self.fields["planned_for"].choices = choices
        self.fields["planned_for"].initial = choices[0][0]
        self.fields["therapist"].choices = therapists

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, at = data.get("date"), data.get("time")
        if day is not None and at is not None:
            try:
                starts_at = timezone.make_aware(dt.datetime.combine(day, at))
            except (ValueError, OverflowError):
                raise forms.ValidationError(_("This date and time do not exist here.")) from None
            now = timezone.now()
            if not now - FURTHEST < starts_at < now + FURTHEST:
                raise forms.ValidationError(_("Choose a date within two years from today."))
            data["starts_at"] = starts_at
        return data


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(label=gettext_lazy("Who came"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, names: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [(Attendance.PLANNED, _("not recorded yet"))]
        if len(names) == 2:
            choices.append((Attendance.BOTH, _("both partners")))
            choices += [
                (slot, _("%(name)s alone") % {"name": name}) for slot, name in names.items()
            ]
        else:
            choices.append((Attendance.A, _("%(name)s came") % {"name": names.get("A", "A")}))
        choices.append((Attendance.CANCELLED, _("did not take place")))
        self.fields["attendance"].choices = choices


class CheckInPlanForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Before each session"), required=False)
    alliance = forms.ChoiceField(label=gettext_lazy("After each session"), required=False)

    def __init__(
        self,
        *args: Any,
        outcomes: list[tuple[str, str]],
        alliances: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        off = ("", _("no check-in"))
        self.fields["outcome"].choices = [*outcomes, off]
        self.fields["alliance"].choices = [*alliances, off]


class RoomForm(forms.Form):
    """Hand the tablet to one partner for one check-in of a session."""

    slot = forms.ChoiceField(choices=[("A", "A"), ("B", "B")])
    moment = forms.ChoiceField(choices=[("before", "before"), ("after", "after")])


class UnlockForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password (therapist)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        max_length=200,
    )


SESSIONS_OFFERED = 12  # the newest sessions a form about "this session" offers


class SessionChoice(forms.ChoiceField):
    """Which session a record belongs to: one of the case's sessions up to today, or none.

    Only ids among the choices pass (checked before any query); the cleaned value is
    the session itself, or None.
    """

    def __init__(self, sessions: list[Appointment], now: dt.datetime, **kwargs: Any) -> None:
        today = timezone.localtime(now).date()
        offered = [
            a
            for a in sessions
            if a.attendance != Attendance.CANCELLED
            and timezone.localtime(a.starts_at).date() <= today
        ]
        offered.sort(key=lambda a: (a.starts_at, a.pk), reverse=True)
        offered = offered[:SESSIONS_OFFERED]
        self.by_id = {str(a.pk): a for a in offered}
        choices = [("", _("no session"))] + [(str(a.pk), session_label(a)) for a in offered]
        kwargs.setdefault("label", gettext_lazy("Session"))
        super().__init__(choices=choices, required=False, **kwargs)
        chosen = preselected(offered, now)
        self.initial = str(chosen.pk) if chosen is not None else ""

    def clean(self, value: Any) -> Appointment | None:  # type: ignore[override]
        return self.by_id.get(super().clean(value) or "")


def session_label(appointment: Appointment) -> str:
    when = formats.date_format(timezone.localtime(appointment.starts_at), "DATETIME_FORMAT")
    if appointment.attendance == Attendance.PLANNED:
        return f"{when} ({_('not recorded yet')})"
    return f"{when} ({appointment.get_attendance_display()})"
