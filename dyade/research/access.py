"""Who may reach which studies, consents and couples, built on the policy core.

The practice admin sets a study up and names its researchers but sees no client
data, only how many couples take part. A researcher reaches only the studies
they are named in, and from those only couples of which every partner said yes,
pseudonymised. Each partner sees and changes only their own decision; the other
partner and the therapists never see it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from dyade.cases import policy
from dyade.cases.models import Case, CaseKind
from dyade.research.models import Consent, Study, StudyStatus


def can_manage_studies(user: Any) -> bool:
    return policy.is_practice_admin(user)


def managed_studies(user: Any) -> QuerySet[Study]:
    if not can_manage_studies(user):
        return Study.objects.none()
    return Study.objects.filter(practice_id=user.practice_id)


def research_studies(user: Any) -> QuerySet[Study]:
    """The studies a researcher is named in, within their own practice."""
    if not policy.can_use_research(user):
        return Study.objects.none()
    return Study.objects.filter(practice_id=user.practice_id, researchers=user)


def get_research_study(request: HttpRequest, pk: int, event: str) -> Study:
    study = research_studies(request.user).filter(pk=pk).first()
    if study is None:
        policy.refuse(request, event, f"study id {pk}")
    return study


def study_cases(user: Any, study: Study) -> QuerySet[Case]:
    """The couples whose diaries ``user`` may take from ``study`` (none for anyone else).

    A couple counts only when each of its two partners has said yes and has
    not taken it back; a study still in draft has nobody.
    """
    if study.status == StudyStatus.DRAFT or not research_studies(user).filter(pk=study.pk).exists():
        return Case.objects.none()
    return _consenting_cases(study)


def study_size(user: Any, study: Study) -> int:
    """How many couples take part: for the study's researchers and its practice admin."""
    allowed = research_studies(user).filter(pk=study.pk).exists() or (
        managed_studies(user).filter(pk=study.pk).exists()
    )
    return _consenting_cases(study).count() if allowed else 0


def _consenting_cases(study: Study) -> QuerySet[Case]:
    return (
        Case.objects.filter(practice_id=study.practice_id, kind=CaseKind.COUPLE)
        .annotate(
            consenting=Count(
                "partners",
                filter=Q(partners__consents__study=study, partners__consents__given=True),
                distinct=True,
            )
        )
        .filter(consenting=2)
    )


def partner_studies(user: Any) -> QuerySet[Study]:
    """Studies a partner may decide about: open ones of their practice, for couples.

    A closed study stays listed for a partner who said yes, so they can take it back.
    """
    partner = policy.own_partner(user)
    if partner is None or partner.case.kind != CaseKind.COUPLE:
        return Study.objects.none()
    return Study.objects.filter(
        Q(status=StudyStatus.OPEN)
        | Q(status=StudyStatus.CLOSED, consents__partner=partner, consents__given=True),
        practice_id=partner.case.practice_id,
    ).distinct()


def own_consent(user: Any, study: Study) -> Consent | None:
    partner = policy.own_partner(user)
    if partner is None:
        return None
    return Consent.objects.filter(partner=partner, study=study).first()
