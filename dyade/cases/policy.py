"""The policy core of Dyade: roles, practice tenancy and how a user stands to a case or partner.

This module answers the few questions every other access decision is built on:
which cases a therapist may open (:func:`cases_for`), which partner record a
signed-in partner is (:func:`own_partner`), and how a user stands to data that a
partner wrote (:func:`relation`). Decisions about single items of client data
defer to the pure rule in :mod:`dyade.clinic.visibility`.

Each feature app owns its ``access.py``: the scoped querysets of its own objects
and their reductions to what a viewer may see, built only on this core. This
module imports no feature app; ``make check`` holds that with import-linter
(see ``docs/architecture.md``).

Tenancy is by practice: a therapist only ever reaches cases of their own
practice that are assigned to them. Practice admins manage therapists,
researchers and studies and read the audit trail, but see no client data.
Researchers see no identifiable client data.

Refusals for objects look like "not found" (404) so that nobody learns that a
case, partner or entry exists; refusals for whole pages of another role are 403.

A closed case closes its pages to its partners: :func:`partner_or_403` refuses
them with :class:`CaseClosed`, which sends them to their home, where they read
that the case was closed. Their own data stays theirs: :func:`own_partner` and
:func:`relation` do not change when a case closes, so the copy of "all my data"
(the one page besides the home that asks for ``closed_ok``) still holds what was
shared with them until the practice's retention removes it.

A case that :func:`get_case` handed out carries the proof that the request's
user is one of its therapists, so the access modules that ask
:func:`is_case_therapist` about that same case object again in the same request
get their answer without another query. The proof lives on that one object,
for that one user; a case loaded any other way is checked in the database.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse_lazy

from dyade.accounts.models import Role, User
from dyade.audit.services import Outcome, record
from dyade.cases.models import Case, Partner
from dyade.clinic.visibility import Relation
from dyade.db import prepared


def is_active(user: Any) -> bool:
    """A signed-in, active account (anonymous and deactivated users are not)."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def has_role(user: Any, role: Role) -> bool:
    """An active account of ``role`` that belongs to a practice."""
    return is_active(user) and user.role == role and user.practice_id is not None


def refuse(request: HttpRequest, event: str, detail: str, *, case: Case | None = None) -> NoReturn:
    """Record a denied ``event`` and answer "not found".

    Call it outside any transaction that the 404 would roll back, or the refusal
    would vanish from the audit trail with it.
    """
    record(request, event, case=case, outcome=Outcome.DENIED, detail=detail)
    raise Http404


# --- roles ---------------------------------------------------------------------


def can_create_case(user: Any) -> bool:
    """Therapist pages: only a therapist of a practice."""
    return has_role(user, Role.THERAPIST)


def can_reflect(user: Any) -> bool:
    """Only a therapist has (and sees) a profile of their own attachment and balance."""
    return has_role(user, Role.THERAPIST)


def is_practice_admin(user: Any) -> bool:
    """Practice administration: staff, studies, instrument texts and the audit trail."""
    return has_role(user, Role.PRACTICE_ADMIN)


def can_use_research(user: Any) -> bool:
    return has_role(user, Role.RESEARCHER)


# --- practice staff --------------------------------------------------------------


def colleagues_for(user: Any) -> QuerySet[User]:
    """Therapists a therapist may assign to a case: active ones of the same practice."""
    if not has_role(user, Role.THERAPIST):
        return User.objects.none()
    return User.objects.filter(
        practice_id=user.practice_id, role=Role.THERAPIST, is_active=True
    ).order_by("name", "email")


def _staff(user: Any, role: Role) -> QuerySet[User]:
    if not is_practice_admin(user):
        return User.objects.none()
    return User.objects.filter(practice_id=user.practice_id, role=role).order_by("name", "email")


def therapists_for(user: Any) -> QuerySet[User]:
    """The therapists of a practice admin's practice (none for anyone else)."""
    return _staff(user, Role.THERAPIST)


def researchers_for(user: Any) -> QuerySet[User]:
    """The researchers of a practice admin's practice (to manage and to name in studies)."""
    return _staff(user, Role.RESEARCHER)


# --- cases ---------------------------------------------------------------------


def cases_for(user: Any) -> QuerySet[Case]:
    """The cases a user may open: a therapist's assigned cases in their practice."""
    if not has_role(user, Role.THERAPIST):
        return Case.objects.none()
    return Case.objects.filter(practice_id=user.practice_id, therapists=user)


def assignments_for(user: Any) -> QuerySet[Any]:
    """A therapist's assignments to the cases of their practice: one row per case of
    :func:`cases_for`, with the case as ``case``; nothing for anyone else.

    The caseload is read from these rows, each joined to its stored place in the order
    by attention (``dyade/overview/attention_page.py``), so only cases these rows name
    ever reach it; their ``id`` grows with each assignment and breaks ties, newest first.
    """
    through = Case.therapists.through
    if not has_role(user, Role.THERAPIST):
        return through.objects.none()
    return through.objects.filter(user=user, case__practice_id=user.practice_id)


# The attribute of a case object that names the therapist get_case() proved it for.
_PROVEN_FOR = "_policy_therapist_id"


def assigned_cases(user: Any, rows: list[Any]) -> list[Case]:
    """The cases of rows read from :func:`assignments_for` ``(user)``, each carrying the proof.

    Only rows of this user's own assignments in their practice count (the rest are
    dropped), so the caseload's columns are read for its page without a check per case.
    """
    if not has_role(user, Role.THERAPIST):
        return []
    cases = []
    for row in rows:
        if row.user_id == user.pk and row.case.practice_id == user.practice_id:
            setattr(row.case, _PROVEN_FOR, user.pk)
            cases.append(row.case)
    return cases


def is_case_therapist(user: Any, case: Case) -> bool:
    if has_role(user, Role.THERAPIST) and getattr(case, _PROVEN_FOR, None) == user.pk:
        return True  # get_case() proved it for this user and this object
    return cases_for(user).filter(pk=case.pk).exists()


def get_case(request: HttpRequest, pk: int, event: str = "case.read") -> Case:
    """The case ``pk`` if the request's user may open it; 404 (and an audit event) if not.

    The case returned carries the proof for the access modules (see the module's
    docstring). Call it outside any transaction that the 404 would roll back.
    """
    case = cases_for(request.user).filter(pk=pk).first()
    if case is None:
        refuse(request, event, f"case id {pk}")
    setattr(case, _PROVEN_FOR, request.user.pk)
    return case


def get_case_partner(request: HttpRequest, case: Case, slot: str, event: str) -> Partner:
    partner = (
        case.partners.filter(slot=slot).first() if is_case_therapist(request.user, case) else None
    )
    if partner is None:
        refuse(request, event, f"slot {slot}", case=case)
    return partner


def can_invite(user: Any, partner: Partner) -> bool:
    return partner.user_id is None and is_case_therapist(user, partner.case)


# --- partners --------------------------------------------------------------------


def own_partner(user: Any, *, texts: bool = True) -> Partner | None:
    """The partner record of a signed-in partner, or None for everyone else.

    ``texts=False`` reads the partner and its case without their names and
    other encrypted texts (for a request that shows none, such as a diary send):
    what is left out is read when first used, as Django's ``only()`` does.
    """
    if not is_active(user) or user.role != Role.PARTNER:
        return None
    return (_own_partners if texts else _own_partner_keys).first(user.pk)


# Every partner page asks for the partner and its case: one statement, prepared once.
_own_partners = prepared.Reader(Partner, by=("user",), related="case")
_own_partner_keys = prepared.Reader(
    Partner,
    by=("user",),
    fields=("id", "case", "slot", "user", "language"),
    related="case",
    related_fields=("practice", "label", "kind", "status"),
)


class CaseClosed(PermissionDenied):
    """A partner asked for a page of a case that is closed; the error page sends them home."""

    redirect_to = reverse_lazy("diary:home")


def partner_or_403(request: HttpRequest, *, closed_ok: bool = False, texts: bool = True) -> Partner:
    """The signed-in partner's own record; 403 for every other account (partner pages).

    A partner of a closed case is refused too (:class:`CaseClosed`), but for the
    pages that pass ``closed_ok``: their home and their own copy of their data.
    ``texts`` is :func:`own_partner`'s.
    """
    partner = own_partner(request.user, texts=texts)
    if partner is None:
        raise PermissionDenied
    if not closed_ok:
        open_case_or_403(partner)
    return partner


def open_case_or_403(partner: Partner) -> None:
    """Refuse (:class:`CaseClosed`) a partner's page of a case that is closed."""
    if not partner.case.is_open:
        raise CaseClosed


def own_case_partner(user: Any, case_id: int) -> Partner | None:
    """The signed-in partner's record if it belongs to the case ``case_id``; None otherwise."""
    mine = own_partner(user)
    return mine if mine is not None and mine.case_id == case_id else None


def relation(user: Any, partner: Partner) -> Relation:
    """How ``user`` stands to data written by ``partner``."""
    if not is_active(user):
        return Relation.NONE
    if user.role == Role.PARTNER:
        if partner.user_id == user.pk:
            return Relation.AUTHOR
        if own_case_partner(user, partner.case_id) is not None:
            return Relation.OTHER_PARTNER
        return Relation.NONE
    if is_case_therapist(user, partner.case):
        return Relation.THERAPIST
    return Relation.NONE
