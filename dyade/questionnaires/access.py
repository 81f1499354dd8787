"""Who may see which questionnaires and answers, built on the policy core."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from dyade.audit.services import AuditEvent, prepare
from dyade.cases import policy
from dyade.cases.models import Case
from dyade.clinic.instruments import Instrument
from dyade.clinic.visibility import Relation, may_see
from dyade.questionnaires.models import Administration, InstrumentText


def own_administrations(user: Any) -> QuerySet[Administration]:
    """The questionnaires given to a signed-in partner; nothing for anyone else."""
    partner = policy.own_partner(user)
    if partner is None:
        return Administration.objects.none()
    return Administration.objects.filter(partner=partner)


def get_own_administration(
    request: HttpRequest, pk: int, event: str = "questionnaire.read"
) -> Administration:
    """A partner's own questionnaire; 404 (and a denied audit event) for anything else.

    The other partner's questionnaires answer exactly like ids that do not
    exist, so nobody learns that one was given, answered or when.
    """
    administration = (
        own_administrations(request.user).select_related("partner__case").filter(pk=pk).first()
    )
    if administration is None:
        policy.refuse(request, event, f"questionnaire id {pk}")
    policy.open_case_or_403(administration.partner)  # a closed case's pages are closed
    return administration


def case_administrations(user: Any, case: Case) -> QuerySet[Administration]:
    if not policy.is_case_therapist(user, case):
        return Administration.objects.none()
    return Administration.objects.filter(case=case).select_related("partner")


def get_case_administration(
    request: HttpRequest, case: Case, pk: int, event: str = "questionnaire.read"
) -> Administration:
    """A questionnaire of ``case`` for one of its therapists; 404 otherwise."""
    found = case_administrations(request.user, case).filter(pk=pk).first()
    if found is None:
        policy.refuse(request, event, f"questionnaire id {pk}", case=case)
    return found


def case_check_ins(user: Any, case: Case) -> QuerySet[Administration]:
    """The session check-ins of ``case`` for its therapists; nothing for anyone else.

    Each partner's check-ins (the alliance answers above all) are seen by that
    partner (:func:`own_check_ins`) and the case's therapists only: never by the
    other partner, not even as a count.
    """
    return (
        case_administrations(user, case)
        .exclude(appointment=None)
        .exclude(moment="")
        .select_related("appointment")
    )


def own_check_ins(user: Any) -> QuerySet[Administration]:
    """A signed-in partner's own session check-ins; nothing for anyone else."""
    return own_administrations(user).exclude(appointment=None).exclude(moment="")


def can_reopen(user: Any, administration: Administration) -> bool:
    return not administration.is_open and policy.is_case_therapist(user, administration.case)


def answer_view(
    user: Any, administration: Administration, instrument: Instrument, rel: Relation | None = None
) -> dict[str, Any]:
    """The answers of ``administration`` that ``user`` may see, keyed by linkId.

    The author sees private answers but never clinical ones (the safety part,
    a violence screen): once saved, those reach the therapist only, so nobody
    who picks up the partner's phone can read them. The other partner gets
    nothing at all.
    """
    rel = policy.relation(user, administration.partner) if rel is None else rel
    if rel == Relation.NONE or rel == Relation.OTHER_PARTNER:
        return {}
    answers = administration.answers
    return {
        item.link_id: answers[item.link_id]
        for item in instrument.questions
        if item.link_id in answers and may_see(rel, item.visibility)
    }


def can_manage_instrument_texts(user: Any) -> bool:
    return policy.is_practice_admin(user)


def instrument_texts_for(user: Any) -> QuerySet[InstrumentText]:
    """Item texts a practice imported, for its admin (none for anyone else)."""
    if not can_manage_instrument_texts(user):
        return InstrumentText.objects.none()
    return InstrumentText.objects.filter(practice_id=user.practice_id)


def sent_read_events(
    request: HttpRequest, case: Case, administrations: list[Administration]
) -> list[AuditEvent]:
    """One ``questionnaire.read`` event per sent administration shown (open ones hold none)."""
    return [
        prepare(
            request,
            "questionnaire.read",
            obj=administration,
            case=case,
            partner=administration.partner,
            detail=administration.instrument,
        )
        for administration in administrations
        if not administration.is_open
    ]
