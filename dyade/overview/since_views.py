"""The therapist's "since last session" screen: both diaries, read in two minutes.

It reads only the days it compares: the period since the last session and one
as long before it, without the notes, which it does not show.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from dyade.audit.services import prepare, record_many
from dyade.cases import policy
from dyade.clinic import since as rules
from dyade.diary import access
from dyade.sessions import access as sessions_access
from dyade.sessions import services as session_services

DEFAULT_DAYS = 14

MESSAGES = {
    "few-days": lambda v: _("%(name)s wrote on only %(days)s days; too few to say much.") % v,
    "closeness-up": lambda v: (
        _("%(name)s felt closer than the weeks before (%(before)s → %(now)s).") % v
    ),
    "closeness-down": lambda v: (
        _("%(name)s felt less close than the weeks before (%(before)s → %(now)s).") % v
    ),
    "desire-up": lambda v: _("%(name)s felt more desire than before (%(before)s → %(now)s).") % v,
    "desire-down": lambda v: _("%(name)s felt less desire than before (%(before)s → %(now)s).") % v,
    "stress-up": lambda v: _("%(name)s felt more stress than before (%(before)s → %(now)s).") % v,
    "stress-down": lambda v: _("%(name)s felt less stress than before (%(before)s → %(now)s).") % v,
    "reads-desire-higher": lambda v: (
        _(
            "%(name)s reads the partner's desire as higher than the partner reports "
            "(by %(points)s on average)."
        )
        % v
    ),
    "reads-desire-lower": lambda v: (
        _(
            "%(name)s reads the partner's desire as lower than the partner reports "
            "(by %(points)s on average)."
        )
        % v
    ),
    "avoidance-motives": lambda v: (
        _("%(name)s mostly had sex to avoid a fight or keep the peace (%(days)s days).") % v
    ),
    "desire-gap": lambda v: _("Their desire differs by %(points)s points on an average day.") % v,
    "closeness-gap": lambda v: (
        _("How close they feel differs by %(points)s points on an average day.") % v
    ),
    "pursues-sexually": lambda v: (
        _("%(name)s takes the initiative for sex clearly more often.") % v
    ),
    "cycle-fits": lambda v: _("This fits the cycle map, where %(name)s pursues around sex.") % v,
    "cycle-differs": lambda v: (
        _(
            "The cycle map does not have %(name)s pursuing around sex: the positions may "
            "have turned, or the map needs another look together."
        )
        % v
    ),
    "cycle-open": lambda v: (
        _(
            "The cycle map has no positions around sex yet; the diary suggests %(name)s "
            "pursues there."
        )
        % v
    ),
    "cycle-quiet": lambda v: (
        _(
            "On the cycle map %(name)s pursues around sex, but the diary shows no clear "
            "initiator in this period."
        )
        % v
    ),
}


def _days(entries: list[dict[str, Any]]) -> list[rules.Day]:
    return [
        rules.Day(
            date=entry["date"],
            closeness=entry.get("closeness"),
            desire=entry.get("desire"),
            stress=entry.get("stress"),
            sexual_contact=entry.get("sexual_contact"),
            conflict=entry.get("conflict"),
            initiator=entry.get("initiator", ""),
            bid_answer=entry.get("bid_answer", ""),
            motive=entry.get("motive", ""),
            perceived_desire=entry.get("perceived_desire"),
        )
        for entry in entries
    ]


def _words(key: str, values: dict[str, Any], names: dict[str, str]) -> str:
    shown = {k: formats.localize(v) if isinstance(v, float) else v for k, v in values.items()}
    if "slot" in values:
        shown["name"] = names.get(values["slot"], values["slot"])
    return str(MESSAGES[key](shown))


@login_required
def since_last_session(request: HttpRequest, pk: int) -> HttpResponse:
    if not policy.can_create_case(request.user):
        raise PermissionDenied
    case = policy.get_case(request, pk, event="diary.read")
    until = timezone.localdate()
    user = request.user
    last = sessions_access.case_observations(user, case).defer("note").order_by("-date").first()
    since = (
        last.date + dt.timedelta(days=1)
        if last is not None and last.date < until
        else until - dt.timedelta(days=DEFAULT_DAYS - 1)
    )
    # summarise() holds the period against one as long just before it.
    read_from = since - dt.timedelta(days=(until - since).days + 1)
    partners = list(case.partners.all())
    window = access.visible_window(user, partners, read_from, until, notes=False)
    diaries = {partner.slot: _days(window[partner.pk]) for partner in partners}
    latest = sessions_access.case_cycle_versions(user, case).first()
    events = [
        prepare(
            request, "diary.read", case=case, partner=partner, detail=f"since {since.isoformat()}"
        )
        for partner in partners
    ]
    if latest is not None:
        events.append(
            prepare(request, "cycle.read", obj=latest, case=case, detail=f"v{latest.number}")
        )
    record_many(events)  # before anything is shown
    summary = rules.summarise(diaries, since, until)
    names = {p.slot: p.name for p in partners}
    cycle_line = None
    if len(partners) == 2:
        cycle_map = session_services.cycle_of(latest, case)
        positions = {
            p.slot: (
                position.value if (position := cycle_map.side(p.slot, "sex").position) else None
            )
            for p in partners
        }
        found = rules.against_cycle(summary.pursuer, positions)
        if found is not None:
            cycle_line = _words(found[0], dict(found[1]), names)
    context = {
        "case": case,
        "summary": summary,
        "since": since,
        "until": until,
        "from_session": last is not None and last.date < until,
        "lines": [_words(key, dict(values), names) for key, values in summary.sentences],
        "cycle_line": cycle_line,
        "cycle_version": latest,
        "partners": [(p, summary.partners[p.slot]) for p in partners],
        "answer_labels": {
            "accepted": _("yes"),
            "loving-boundary": _("a warm no"),
            "declined": _("no"),
        },
    }
    return render(request, "diary/since.html", context)
