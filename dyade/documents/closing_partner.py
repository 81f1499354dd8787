"""The closing summary for the partners: what the therapist may put in it, and its form.

The therapist chooses from what the partners had already: the cycle map version
that was published to them last and the exercises given to both of them. An
exercise given to one partner alone is never offered (the other partner did not
have it), nor is anything a partner wrote. The text for the partners starts as
the internal closing note and is theirs to edit: it is kept apart from that note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dyade.audit.models import AuditEvent
from dyade.audit.services import prepare
from dyade.cases.models import Case
from dyade.content import exercises
from dyade.exercises import access as exercises_access
from dyade.sessions import access as sessions_access

NOTE_LIMIT = 5000


class SummaryForm(forms.Form):
    note = forms.CharField(
        label=_("Your words for the partners"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=NOTE_LIMIT,
        help_text=_(
            "Both partners read this. It starts as your closing note: take out what is "
            "for your file only. Your closing note itself does not change."
        ),
        error_messages={"required": _("Write a few words for the partners.")},
    )
    cycle = forms.BooleanField(label=_("The cycle map you last shared with them"), required=False)
    exercises = forms.BooleanField(label=_("The exercises given to both of them"), required=False)
    request_id = forms.UUIDField(widget=forms.HiddenInput)


@dataclass
class Offer:
    """What the summary can hold for this case, and the audit events of reading it."""

    cycle: Any
    slugs: list[str]
    events: list[AuditEvent] = field(default_factory=list)


def offer(request: HttpRequest, case: Case) -> Offer:
    """The last published cycle map and the exercises given to both, not withdrawn."""
    user = request.user
    published = sessions_access.case_cycle_versions(user, case).filter(published_at__isnull=False)
    cycle = published.order_by("-published_at", "-number").first()
    known = exercises()
    slugs: list[str] = []
    given = exercises_access.case_assignments(user, case).filter(
        partner__isnull=True, withdrawn=False
    )
    for slug in given.order_by("assigned_at", "pk").values_list("slug", flat=True):
        if slug in known and slug not in slugs:
            slugs.append(slug)
    events = [
        prepare(
            request,
            "cycle.read",
            obj=cycle,
            case=case,
            detail=f"published v{cycle.number}" if cycle else "none published",
        ),
        prepare(request, "exercise.list", case=case, detail=f"{len(slugs)} for both"),
    ]
    return Offer(cycle, slugs, events)


def chosen(found: Offer, data: dict[str, Any]) -> tuple[Any, list[str]]:
    """The cycle map and exercises the therapist ticked, from what was offered."""
    cycle = found.cycle if data.get("cycle") else None
    slugs = found.slugs if data.get("exercises") else []
    return cycle, slugs
