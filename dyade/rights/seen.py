"""'Who has seen my data': the audit events about one partner, in the partner's words.

A small wording of its own for each area of Dyade, written for the client (the
practice's audit log speaks to the practice). Each row says who acted, by role and
name, or that Dyade did it by itself, what they did, and when; never the event's
detail, address or device, which may say things about other people.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dyade.accounts.models import Role, User
from dyade.audit.models import Action, AuditEvent, Outcome

# What an area of Dyade is, for the partner the event is about.
AREAS = {
    "auth": gettext_lazy("your login"),
    "appointment": gettext_lazy("your sessions"),
    "case": gettext_lazy("your case"),
    "consent": gettext_lazy("your decisions about research"),
    "cycle": gettext_lazy("the map of your pattern"),
    "diary": gettext_lazy("your diary"),
    "diary_items": gettext_lazy("the questions in your diary"),
    "exercise": gettext_lazy("your exercises"),
    "exercise_answers": gettext_lazy("your answers to an exercise"),
    "exercise_log": gettext_lazy("your exercise logs"),
    "exercise_run": gettext_lazy("the timer of your exercise"),
    "invitation": gettext_lazy("your invitation"),
    "partner": gettext_lazy("your details"),
    "progress": gettext_lazy("your progress over the sessions"),
    "questionnaire": gettext_lazy("your questionnaires"),
    "reading": gettext_lazy("the pages you were given to read"),
    "reminder": gettext_lazy("your reminders"),
    "research": gettext_lazy("your diary, pseudonymised, for research"),
    "rights": gettext_lazy("a copy of your data"),
}
OTHER_AREA = gettext_lazy("your data")

# Whole events that read better in a sentence of their own.
EVENTS = {
    "check_in_room.create": gettext_lazy("handed you a tablet in the room for your check-in"),
    "exercise.create": gettext_lazy("gave you an exercise"),
    "invitation.create": gettext_lazy("made an invitation link for you"),
    "partner.create": gettext_lazy("added you to Dyade"),
    "questionnaire.create": gettext_lazy("gave you a questionnaire"),
    "reading.create": gettext_lazy("gave you a page to read"),
    "reminder.create": gettext_lazy("sent you a reminder"),
    "rights.data.read": gettext_lazy("opened the page with all your data"),
    "rights.export.read": gettext_lazy("made a copy of all your data (a download)"),
    "rights.seen.list": gettext_lazy("looked at who has seen your data"),
}

ACTIONS = {
    Action.READ: gettext_lazy("looked at %(what)s"),
    Action.CREATE: gettext_lazy("added to %(what)s"),
    Action.UPDATE: gettext_lazy("changed %(what)s"),
    Action.DELETE: gettext_lazy("removed something from %(what)s"),
    Action.LOGIN: gettext_lazy("logged in to Dyade"),
    Action.LOGOUT: gettext_lazy("logged out of Dyade"),
}
DENIED = gettext_lazy("tried to open %(what)s and was refused")
INVALID = gettext_lazy("sent something for %(what)s that was not saved")


def what_happened(event: AuditEvent) -> str:
    """The event as the end of a sentence whose subject is who acted."""
    area = event.event.split(".", 1)[0]
    what = AREAS.get(area, OTHER_AREA)
    if event.outcome == Outcome.DENIED:
        return str(DENIED) % {"what": what}
    if event.outcome == Outcome.INVALID:
        return str(INVALID) % {"what": what}
    if event.event in EVENTS:
        return str(EVENTS[event.event])
    sentence = ACTIONS.get(event.action, ACTIONS[Action.READ])
    return str(sentence) % {"what": what}


def _names(events: Iterable[AuditEvent]) -> dict[int, str]:
    ids = {event.user_id for event in events if event.user_id is not None}
    return {
        pk: name or email
        for pk, name, email in User.objects.filter(pk__in=ids).values_list("pk", "name", "email")
    }


def who(event: AuditEvent, names: dict[int, str], reader: Any) -> str:
    if event.user_id is None:
        return _("Dyade, by itself")
    if event.user_id == reader.pk:
        return _("You")
    role = str(dict(Role.choices).get(event.role, event.role)).lower()
    name = names.get(event.user_id, "")
    if not name:
        return role.capitalize()
    return _("%(name)s, %(role)s") % {"name": name, "role": role}


def rows(events: list[AuditEvent], reader: Any) -> list[dict[str, Any]]:
    names = _names(events)
    return [
        {
            "time": event.time,
            "who": who(event, names, reader),
            "what": what_happened(event),
            "mine": event.user_id == reader.pk,
        }
        for event in events
    ]
