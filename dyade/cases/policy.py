"""The one access policy of Dyade: who may see or do what, for every role.

Every view, export and report asks this module; none filters client data by
hand. Decisions about single items of client data defer to the pure rule in
:mod:`dyade.clinic.visibility`; this module works out how the viewer stands to
the item (author, other partner, therapist of the case, or nobody).

Tenancy is by practice: a therapist only ever reaches cases of their own
practice that are assigned to them. Practice admins manage therapists and read
the audit trail, but see no client data. Researchers see no identifiable client
data; they reach a study's diaries only pseudonymised, and only for couples in
which both partners consented.

Refusals for objects look like "not found" (404) so that nobody learns that a
case, partner or entry exists; refusals for whole pages of another role are 403.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest

from dyade.accounts.models import Role, User
from dyade.audit.models import AuditEvent
from dyade.audit.services import Outcome, record
from dyade.cases.models import Case, CaseKind, Partner
from dyade.clinic import diary as diary_rules
from dyade.clinic.visibility import Relation, Visibility, may_see

if TYPE_CHECKING:
    from dyade.clinic.instruments import Instrument
    from dyade.diary.models import DiaryEntry
    from dyade.exercises.models import Answers, Assignment, Entry, Log
    from dyade.questionnaires.models import Administration, InstrumentText
    from dyade.reading.models import ReadingAssignment
    from dyade.research.models import Consent, Study
    from dyade.sessions.models import CycleVersion, Observation, SignalDecision, TrackChange


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _has_role(user: Any, role: Role) -> bool:
    return _active(user) and user.role == role and user.practice_id is not None


# --- cases -----------------------------------------------------------------


def cases_for(user: Any) -> QuerySet[Case]:
    """The cases a user may open: a therapist's assigned cases in their practice."""
    if not _has_role(user, Role.THERAPIST):
        return Case.objects.none()
    return Case.objects.filter(practice_id=user.practice_id, therapists=user)


def is_case_therapist(user: Any, case: Case) -> bool:
    return cases_for(user).filter(pk=case.pk).exists()


def can_create_case(user: Any) -> bool:
    return _has_role(user, Role.THERAPIST)


def colleagues_for(user: Any) -> QuerySet[User]:
    """Therapists a therapist may assign to a case: active ones of the same practice."""
    if not _has_role(user, Role.THERAPIST):
        return User.objects.none()
    return User.objects.filter(
        practice_id=user.practice_id, role=Role.THERAPIST, is_active=True
    ).order_by("name", "email")


def get_case(request: HttpRequest, pk: int, event: str = "case.read") -> Case:
    """The case ``pk`` if the request's user may open it; 404 (and an audit event) if not.

    Call it outside any transaction that the 404 would roll back, or the refusal
    would vanish from the audit trail with it.
    """
    case = cases_for(request.user).filter(pk=pk).first()
    if case is None:
        record(request, event, outcome=Outcome.DENIED, detail=f"case id {pk}")
        raise Http404
    return case


def get_case_partner(request: HttpRequest, case: Case, slot: str, event: str) -> Partner:
    partner = (
        case.partners.filter(slot=slot).first() if is_case_therapist(request.user, case) else None
    )
    if partner is None:
        record(request, event, case=case, outcome=Outcome.DENIED, detail=f"slot {slot}")
        raise Http404
    return partner


def can_invite(user: Any, partner: Partner) -> bool:
    return partner.user_id is None and is_case_therapist(user, partner.case)


# --- partners and their diary ----------------------------------------------


def own_partner(user: Any) -> Partner | None:
    """The partner record of a signed-in partner, or None for everyone else."""
    if not _active(user) or user.role != Role.PARTNER:
        return None
    return Partner.objects.select_related("case").filter(user=user).first()


def relation(user: Any, partner: Partner) -> Relation:
    """How ``user`` stands to data written by ``partner``."""
    if not _active(user):
        return Relation.NONE
    if user.role == Role.PARTNER:
        if partner.user_id == user.pk:
            return Relation.AUTHOR
        mine = own_partner(user)
        if mine is not None and mine.case_id == partner.case_id:
            return Relation.OTHER_PARTNER
        return Relation.NONE
    if is_case_therapist(user, partner.case):
        return Relation.THERAPIST
    return Relation.NONE


def can_write_diary(user: Any, partner: Partner, day: dt.date, today: dt.date) -> bool:
    return relation(user, partner) == Relation.AUTHOR and diary_rules.is_editable(day, today)


def entry_fields(user: Any, entry: DiaryEntry, rel: Relation | None = None) -> dict[str, Any]:
    """The fields of ``entry`` that ``user`` may see, as a plain dict.

    Templates render this dict, never the model, so a field that the policy
    hides cannot slip into a page. An entry with nothing visible gives ``{}``.
    Timestamps of writing are never included: when a partner wrote is not
    shown to the other partner.
    """
    rel = relation(user, entry.partner) if rel is None else rel
    if rel == Relation.NONE:
        return {}
    visible: dict[str, Any] = {}
    note_visibility = Visibility(entry.note_visibility)
    for field in diary_rules.FIELDS:
        if may_see(rel, diary_rules.field_visibility(field.name, note_visibility)):
            value = getattr(entry, field.name)
            if field.optional and value in (None, ""):
                continue
            visible[field.name] = value
    if "note" in visible:
        if not visible["note"]:
            del visible["note"]
        else:
            visible["note_visibility"] = entry.note_visibility
    if visible:
        visible["date"] = entry.date
    return visible


def visible_entries(user: Any, partner: Partner, limit: int | None = None) -> list[dict[str, Any]]:
    """The newest ``limit`` (or all) entries of ``partner``, reduced to what ``user`` may see."""
    rel = relation(user, partner)
    if rel == Relation.NONE:
        return []
    entries = partner.diary_entries.order_by("-date")[:limit]
    views = (entry_fields(user, entry, rel) for entry in entries)
    return [view for view in views if view]


# --- questionnaires ----------------------------------------------------------


def own_administrations(user: Any) -> QuerySet[Administration]:
    """The questionnaires given to a signed-in partner; nothing for anyone else."""
    from dyade.questionnaires.models import Administration

    partner = own_partner(user)
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
        record(request, event, outcome=Outcome.DENIED, detail=f"questionnaire id {pk}")
        raise Http404
    return administration


def get_case_administration(
    request: HttpRequest, case: Case, pk: int, event: str = "questionnaire.read"
) -> Administration:
    """A questionnaire of ``case`` for one of its therapists; 404 otherwise."""
    from dyade.questionnaires.models import Administration

    found = None
    if is_case_therapist(request.user, case):
        found = Administration.objects.select_related("partner").filter(case=case, pk=pk).first()
    if found is None:
        record(request, event, case=case, outcome=Outcome.DENIED, detail=f"questionnaire id {pk}")
        raise Http404
    return found


def case_administrations(user: Any, case: Case) -> QuerySet[Administration]:
    from dyade.questionnaires.models import Administration

    if not is_case_therapist(user, case):
        return Administration.objects.none()
    return Administration.objects.filter(case=case).select_related("partner")


def can_assign_instruments(user: Any, case: Case) -> bool:
    return is_case_therapist(user, case)


def can_reopen(user: Any, administration: Administration) -> bool:
    return not administration.is_open and is_case_therapist(user, administration.case)


def answer_view(
    user: Any, administration: Administration, instrument: Instrument, rel: Relation | None = None
) -> dict[str, Any]:
    """The answers of ``administration`` that ``user`` may see, keyed by linkId.

    The author sees private answers but never clinical ones (the safety part,
    a violence screen): once saved, those reach the therapist only, so nobody
    who picks up the partner's phone can read them. The other partner gets
    nothing at all.
    """
    rel = relation(user, administration.partner) if rel is None else rel
    if rel == Relation.NONE or rel == Relation.OTHER_PARTNER:
        return {}
    answers = administration.answers
    return {
        item.link_id: answers[item.link_id]
        for item in instrument.questions
        if item.link_id in answers and may_see(rel, item.visibility)
    }


def can_manage_instrument_texts(user: Any) -> bool:
    return _has_role(user, Role.PRACTICE_ADMIN)


def instrument_texts_for(user: Any) -> QuerySet[InstrumentText]:
    """Item texts a practice imported, for its admin (none for anyone else)."""
    from dyade.questionnaires.models import InstrumentText

    if not can_manage_instrument_texts(user):
        return InstrumentText.objects.none()
    return InstrumentText.objects.filter(practice_id=user.practice_id)


# --- practice administration ------------------------------------------------


def can_manage_therapists(user: Any) -> bool:
    return _has_role(user, Role.PRACTICE_ADMIN)


def therapists_for(user: Any) -> QuerySet[User]:
    if not can_manage_therapists(user):
        return User.objects.none()
    return User.objects.filter(practice_id=user.practice_id, role=Role.THERAPIST).order_by(
        "name", "email"
    )


def can_view_audit(user: Any) -> bool:
    return _has_role(user, Role.PRACTICE_ADMIN)


def audit_events_for(user: Any) -> QuerySet[AuditEvent]:
    if not can_view_audit(user):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(practice_id=user.practice_id)


def can_use_research(user: Any) -> bool:
    return _has_role(user, Role.RESEARCHER)


# --- research: studies, consent and exports ----------------------------------
# The practice admin sets a study up and names its researchers but sees no
# client data, only how many couples take part. A researcher reaches only the
# studies they are named in, and from those only couples of which every
# partner said yes, pseudonymised. Each partner sees and changes only their
# own decision; the other partner and the therapists never see it.


def can_manage_studies(user: Any) -> bool:
    return _has_role(user, Role.PRACTICE_ADMIN)


def managed_studies(user: Any) -> QuerySet[Study]:
    from dyade.research.models import Study

    if not can_manage_studies(user):
        return Study.objects.none()
    return Study.objects.filter(practice_id=user.practice_id)


def researchers_for(user: Any) -> QuerySet[User]:
    """The researchers of a practice admin's practice (to manage and to name in studies)."""
    if not can_manage_studies(user):
        return User.objects.none()
    return User.objects.filter(practice_id=user.practice_id, role=Role.RESEARCHER).order_by(
        "name", "email"
    )


def research_studies(user: Any) -> QuerySet[Study]:
    """The studies a researcher is named in, within their own practice."""
    from dyade.research.models import Study

    if not can_use_research(user):
        return Study.objects.none()
    return Study.objects.filter(practice_id=user.practice_id, researchers=user)


def get_research_study(request: HttpRequest, pk: int, event: str) -> Study:
    study = research_studies(request.user).filter(pk=pk).first()
    if study is None:
        record(request, event, outcome=Outcome.DENIED, detail=f"study id {pk}")
        raise Http404
    return study


def study_cases(user: Any, study: Study) -> QuerySet[Case]:
    """The couples whose diaries ``user`` may take from ``study`` (none for anyone else).

    A couple counts only when each of its two partners has said yes and has
    not taken it back; a study still in draft has nobody.
    """
    from dyade.research.models import StudyStatus

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
    from dyade.research.models import Study, StudyStatus

    partner = own_partner(user)
    if partner is None or partner.case.kind != CaseKind.COUPLE:
        return Study.objects.none()
    return Study.objects.filter(
        Q(status=StudyStatus.OPEN)
        | Q(status=StudyStatus.CLOSED, consents__partner=partner, consents__given=True),
        practice_id=partner.case.practice_id,
    ).distinct()


def own_consent(user: Any, study: Study) -> Consent | None:
    from dyade.research.models import Consent

    partner = own_partner(user)
    if partner is None:
        return None
    return Consent.objects.filter(partner=partner, study=study).first()


# --- guidance, observations, track and the cycle map ---------------------------------
# All clinical: a case's therapists only. The one exception is a cycle map
# version that a therapist has published: both partners of the case see it.


def can_use_guidance(user: Any, case: Case) -> bool:
    """Observations, signals and decisions, the track and draft cycle maps."""
    return is_case_therapist(user, case)


def case_observations(user: Any, case: Case) -> QuerySet[Observation]:
    from dyade.sessions.models import Observation

    if not can_use_guidance(user, case):
        return Observation.objects.none()
    return Observation.objects.filter(case=case)


def case_track_changes(user: Any, case: Case) -> QuerySet[TrackChange]:
    from dyade.sessions.models import TrackChange

    if not can_use_guidance(user, case):
        return TrackChange.objects.none()
    return TrackChange.objects.filter(case=case)


def case_signal_decisions(user: Any, case: Case) -> QuerySet[SignalDecision]:
    from dyade.sessions.models import SignalDecision

    if not can_use_guidance(user, case):
        return SignalDecision.objects.none()
    return SignalDecision.objects.filter(case=case)


def case_cycle_versions(user: Any, case: Case) -> QuerySet[CycleVersion]:
    """Every version for the case's therapists; only published ones for its partners."""
    from dyade.sessions.models import CycleVersion

    if can_use_guidance(user, case):
        return CycleVersion.objects.filter(case=case)
    mine = own_partner(user)
    if mine is not None and mine.case_id == case.pk:
        return CycleVersion.objects.filter(case=case, published_at__isnull=False)
    return CycleVersion.objects.none()


def published_cycle(user: Any) -> CycleVersion | None:
    """The newest published cycle map of a signed-in partner's own case."""
    mine = own_partner(user)
    if mine is None:
        return None
    return case_cycle_versions(user, mine.case).order_by("-published_at", "-number").first()


# --- the therapist's own profile -------------------------------------------------------


def can_reflect(user: Any) -> bool:
    """Only a therapist has (and sees) a profile of their own attachment and balance."""
    return _has_role(user, Role.THERAPIST)


# --- psycho-education --------------------------------------------------------------------


def own_readings(user: Any) -> QuerySet[ReadingAssignment]:
    from dyade.reading.models import ReadingAssignment

    partner = own_partner(user)
    if partner is None:
        return ReadingAssignment.objects.none()
    return ReadingAssignment.objects.filter(partner=partner)


def case_readings(user: Any, case: Case) -> QuerySet[ReadingAssignment]:
    from dyade.reading.models import ReadingAssignment

    if not is_case_therapist(user, case):
        return ReadingAssignment.objects.none()
    return ReadingAssignment.objects.filter(partner__case=case).select_related("partner")


# --- exercises ---------------------------------------------------------------------------


def case_assignments(user: Any, case: Case) -> QuerySet[Assignment]:
    from dyade.exercises.models import Assignment

    if not is_case_therapist(user, case):
        return Assignment.objects.none()
    return Assignment.objects.filter(case=case).select_related("partner")


def own_assignments(user: Any) -> QuerySet[Assignment]:
    """A partner's exercises: the couple's and their own, never the other partner's own."""
    from dyade.exercises.models import Assignment

    partner = own_partner(user)
    if partner is None:
        return Assignment.objects.none()
    return Assignment.objects.filter(
        Q(partner__isnull=True) | Q(partner=partner), case_id=partner.case_id
    )


def get_own_assignment(request: HttpRequest, pk: int, event: str = "exercise.read") -> Assignment:
    found = own_assignments(request.user).filter(pk=pk, active=True).first()
    if found is None:
        record(request, event, outcome=Outcome.DENIED, detail=f"exercise id {pk}")
        raise Http404
    return found


def exercise_log_view(user: Any, log: Log, rel: Relation | None = None) -> dict[str, Any]:
    """The fields of a practice log that ``user`` may see ({} for nothing).

    What happened (date, position, agreements) is shared; feelings, thoughts,
    needs and the note only when the author shares them.
    """
    from dyade.clinic import exercises as rules

    rel = relation(user, log.partner) if rel is None else rel
    if rel == Relation.NONE:
        return {}
    values = {"date": log.date.isoformat(), **log.values}
    visible = {
        name: value
        for name, value in values.items()
        if name in rules.LOG_FIELDS_BY_NAME
        and may_see(rel, rules.log_field_visibility(name, log.shared))
    }
    if log.run_id is not None and may_see(rel, Visibility.SHARED):
        visible["run"] = log.run
    return visible


def exercise_answers_view(user: Any, answers: Answers) -> dict[str, Any]:
    """Inventory or plan answers: the author and therapists; the other partner if shared."""
    rel = relation(user, answers.partner)
    visibility = Visibility.SHARED if answers.shared else Visibility.PRIVATE
    if rel == Relation.NONE or not may_see(rel, visibility):
        return {}
    return answers.values


def exercise_entry_view(user: Any, entry: Entry) -> dict[str, Any]:
    """A log entry (a bid and its answer): author and therapists; the other partner if shared."""
    rel = relation(user, entry.partner)
    visibility = Visibility.SHARED if entry.shared else Visibility.PRIVATE
    if rel == Relation.NONE or not may_see(rel, visibility):
        return {}
    return {"date": entry.date, **entry.values}
