"""What partners keep of a closed case: the closing summary given to them and their pattern.

:func:`body` builds what the summary shows, the same for the therapist's preview,
the partner's page and the PDF, from the parts alone: the outcome in kind words,
the therapist's text for the partners, a published cycle map and the titles of
the exercises given to both. Nothing else of the case goes in: no diary, no
answers, no safety screen, no observation, no signal.

The kind words are Dyade's own wording. They rest on seed 004: "Sommige koppels
groeien dichter naar elkaar toe. Anderen kiezen voor een respectvolle afronding.
In beide gevallen is er winst" and "Soms ligt heling in het respectvol afronden,
zodat beide partners verder kunnen zonder strijd."
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dyade.audit.services import record
from dyade.cases.models import Case, Outcome, Partner
from dyade.content import exercise_text, exercises
from dyade.reports import cycle_diagram
from dyade.sessions import access as sessions_access
from dyade.sessions import services as session_services

KIND_WORDS = {
    Outcome.GROWN_CLOSER: _("The therapy has ended because the relationship has grown closer."),
    Outcome.ENDED_RESPECTFULLY: _(
        "The therapy has been rounded off with a respectful ending, so that both partners "
        "can go on without a struggle."
    ),
    Outcome.REFERRED: _("The therapy here has ended and goes on with another professional."),
    Outcome.STOPPED_EARLY: _(
        "The therapy ended earlier than planned. You are welcome to come back if you want to."
    ),
}


def diagrams(version: Any, case: Case) -> list[dict[str, Any]]:
    """The published cycle map ``version`` drawn with the partners' names; none if unpublished."""
    if version is None or version.published_at is None:
        return []
    names = {p.slot: p.name for p in case.partners.all()}
    return cycle_diagram.both(session_services.cycle_of(version, case), names)


def body(
    case: Case, *, outcome: str, note: str, cycle: Any, slugs: Sequence[str]
) -> dict[str, Any]:
    """The context of ``documents/closing_partner_body.html`` for one summary."""
    language = get_language() or "nl"
    known = exercises()
    return {
        "outcome_words": KIND_WORDS.get(outcome, ""),
        "note": note,
        "cycle": cycle if cycle is not None and cycle.published_at is not None else None,
        "cycle_diagrams": diagrams(cycle, case),
        "exercise_titles": [exercise_text(s, language)["title"] for s in slugs if s in known],
        "practice_name": case.practice.name,
    }


def partner_copy(request: HttpRequest, partner: Partner, detail: str = "page") -> dict[str, Any]:
    """The summary given to ``partner``'s case (if any) and the last published cycle map
    (when the summary does not hold it already), each read with its audit event."""
    case = partner.case
    summary = sessions_access.given_summary(request.user)
    context: dict[str, Any] = {"summary": summary, "summary_body": None}
    if summary is not None:
        context["summary_body"] = body(
            case,
            outcome=summary.outcome,
            note=summary.note,
            cycle=summary.cycle_version,
            slugs=summary.exercises,
        )
        record(
            request, "partner_summary.read", obj=summary, partner=partner, case=case, detail=detail
        )
    latest = sessions_access.published_cycle(request.user)
    if summary is not None and latest is not None and latest.pk == summary.cycle_version_id:
        latest = None
    context["cycle"] = latest
    context["cycle_diagrams"] = diagrams(latest, case)
    if latest is not None:
        record(
            request,
            "cycle.read",
            obj=latest,
            partner=partner,
            detail=f"published v{latest.number} {detail}",
        )
    return context
