"""Destroying a partner's record or a whole case (GDPR art. 17, WGBO art. 7:455).

**A whole case** goes with everything in it: both partners, their accounts,
diary, questionnaires, exercises and their logs, pages given, reminders,
research decisions, invitations, sessions, observations, guidance decisions, the
track, the cycle maps and the closing summaries given to the partners (every table
that points at the case or a partner is deleted with it). Prepared research files
that hold the couple are deleted.

**One partner** of a couple: their own data goes (every row that points at
their partner record, their account, their logs in the couple's exercises).
What the couple shares stays, because it is the other partner's record too
(WGBO art. 7:455 lid 2: not when it matters substantially to someone else): the
case, the sessions, the therapist's observations and guidance, the cycle maps,
the closing summary given to both, the exercises given to both. The partner's place
in the case stays as an empty record (name ``—``), so the case's pages keep working.
To remove the shared record as well, destroy the whole case.

In both, the audit trail keeps its events with the person replaced by a
pseudonym (:mod:`dyade.rights.pseudonyms`), and a :class:`Destruction` and a
``rights.case.delete`` / ``rights.partner.delete`` event say that it happened:
who, when, why, and how many rows of which kind. docs/privacy.md lists what
cannot be called back.
"""

from __future__ import annotations

import uuid
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import connection, transaction
from django.db.models import Q
from django.http import HttpRequest

from dyade.accounts.models import User
from dyade.audit.services import prepare, record_many
from dyade.cases.models import Case, CaseKind, Partner
from dyade.research import prepared as research_prepared
from dyade.research.models import PreparedExport, PreparedStatus
from dyade.rights.models import Destruction, Reason
from dyade.rights.pseudonyms import Person, Subject, pseudonym, pseudonymise

BLANK_NAME = "—"
PSEUDONYMISED = "audit.AuditEvent (pseudonymised)"
FILES = "research.PreparedExport (file deleted)"


def _overwrite_freed_space() -> None:
    """On SQLite, deleted and rewritten rows are zeroed in the file (``secure_delete``);
    otherwise their old bytes stay readable in a copy of the database file until SQLite
    reuses the space. PostgreSQL: see docs/privacy.md (VACUUM)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")


def _checkpoint() -> None:
    """On SQLite, move the write-ahead log into the file and empty it, so that the old
    pages in the log go as well (when a reader still holds it, the next checkpoint does)."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _person(partner: Partner) -> Person:
    words = [partner.name, partner.email]
    words += [invitation.sent_to for invitation in partner.invitations.all()]
    user = partner.user
    if user is not None:
        words += [user.email, user.name]
    return Person(
        partner_id=partner.pk,
        user_id=partner.user_id,
        pseudonym=pseudonym("partner", partner.pk),
        words=[word for word in words if word and word != BLANK_NAME],
    )


def _add(counts: dict[str, int], deleted: dict[str, int]) -> None:
    for label, number in deleted.items():
        if number:
            counts[label] = counts.get(label, 0) + number


def _forget_accounts(users: list[User], counts: dict[str, int]) -> None:
    """Delete the accounts with their sessions and lockout records."""
    if not users:
        return
    by_address = Q(pk__in=[])
    for user in users:
        by_address |= Q(username__iexact=user.email)
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        _add(counts, model.objects.filter(by_address).delete()[1])
    # Their sessions go with the accounts (accounts.Session.user cascades) and are counted.
    _add(counts, User.objects.filter(pk__in=[user.pk for user in users]).delete()[1])


def _drop_prepared(case: Case, counts: dict[str, int], *, whole: bool) -> None:
    """Delete prepared research files that hold the couple; forget the case's id in them."""
    found = PreparedExport.objects.filter(study__practice_id=case.practice_id).select_related(
        "study"
    )
    for prepared in found.iterator():
        if case.pk not in (prepared.cases or []):
            continue
        if prepared.status in (PreparedStatus.PENDING, PreparedStatus.READY):
            research_prepared.delete(prepared, "a couple in it was destroyed")
            counts[FILES] = counts.get(FILES, 0) + 1
        if whole:
            prepared.cases = [pk for pk in prepared.cases if pk != case.pk]
            prepared.save(update_fields=["cases"])


def _summary(name: str, reason: str, note: str, counts: dict[str, int]) -> str:
    """The event's detail: pseudonym, reason, note, then rows by kind as far as room allows
    (every kind and count is in the :class:`Destruction`)."""
    deleted = {label: n for label, n in counts.items() if label != PSEUDONYMISED}
    rows = ", ".join(f"{label} {number}" for label, number in sorted(deleted.items()))
    text = f"{name}; {reason}; note: {note}; " if note else f"{name}; {reason}; "
    text += f"{sum(deleted.values())} rows deleted, "
    text += f"{counts.get(PSEUDONYMISED, 0)} audit events pseudonymised: {rows}"
    return text[:300]


def _done(request_id: uuid.UUID | None, practice_id: int) -> Destruction | None:
    if request_id is None:
        return None
    return Destruction.objects.filter(request_id=request_id, practice_id=practice_id).first()


def _finish(
    request: HttpRequest | None,
    *,
    event: str,
    case: Case | None,
    subject: Subject,
    scope: str,
    name: str,
    reason: str,
    note: str,
    by: Any,
    counts: dict[str, int],
    practice_id: int,
    request_id: uuid.UUID | None,
) -> Destruction:
    pattern = subject.pattern()
    if pattern is not None:
        note = pattern.sub(name, note)
    destruction = Destruction.objects.create(
        practice_id=practice_id,
        pseudonym=name,
        scope=scope,
        reason=reason,
        note=note[:300],
        by=by,
        counts=counts,
        request_id=request_id,
    )
    audit = prepare(
        request,
        event,
        obj=destruction,
        case=case,
        user=by,
        anonymous=by is None,
        detail=_summary(name, reason, note, counts),
    )
    if case is None:
        audit.case_label = name
    elif pattern is not None:
        audit.case_label = pattern.sub(name, audit.case_label)[:200]
    record_many([audit])
    return destruction


def destroy_partner(
    request: HttpRequest | None,
    partner: Partner,
    *,
    by: Any,
    reason: str = Reason.REQUEST,
    note: str = "",
    request_id: uuid.UUID | None = None,
) -> Destruction:
    """Destroy one partner's record (see the module's text), or the case if it is theirs only."""
    if partner.case.kind == CaseKind.INDIVIDUAL:
        return destroy_case(
            request, partner.case, by=by, reason=reason, note=note, request_id=request_id
        )
    with transaction.atomic():
        done = _done(request_id, partner.case.practice_id)
        if done is not None:
            return done
        _overwrite_freed_space()
        case = Case.objects.select_for_update().get(pk=partner.case_id)
        partner = Partner.objects.select_related("user").get(pk=partner.pk, case=case)
        person = _person(partner)
        counts: dict[str, int] = {}
        _drop_prepared(case, counts, whole=False)
        user, slot, language = partner.user, partner.slot, partner.language
        _add(counts, partner.delete()[1])
        Partner.objects.create(case=case, slot=slot, name=BLANK_NAME, language=language)
        _forget_accounts([user] if user is not None else [], counts)
        subject = Subject(people=[person], within_case=case.pk)
        counts[PSEUDONYMISED] = pseudonymise(subject, case.practice_id)
        destruction = _finish(
            request,
            event="rights.partner.delete",
            case=case,
            subject=subject,
            scope="partner",
            name=person.pseudonym,
            reason=reason,
            note=note,
            by=by,
            counts=counts,
            practice_id=case.practice_id,
            request_id=request_id,
        )
    _checkpoint()
    return destruction


def destroy_case(
    request: HttpRequest | None,
    case: Case,
    *,
    by: Any,
    reason: str = Reason.REQUEST,
    note: str = "",
    request_id: uuid.UUID | None = None,
) -> Destruction:
    """Destroy a whole case with both partners' records (see the module's text)."""
    with transaction.atomic():
        done = _done(request_id, case.practice_id)
        if done is not None:
            return done
        _overwrite_freed_space()
        case = Case.objects.select_for_update().get(pk=case.pk)
        partners = list(case.partners.select_related("user").prefetch_related("invitations"))
        people = [_person(partner) for partner in partners]
        users = [partner.user for partner in partners if partner.user is not None]
        name = pseudonym("case", case.pk)
        subject = Subject(
            people=people, case_id=case.pk, case_pseudonym=name, case_words=[case.label]
        )
        counts: dict[str, int] = {}
        _drop_prepared(case, counts, whole=True)
        practice_id = case.practice_id
        _add(counts, case.delete()[1])
        _forget_accounts(users, counts)
        counts[PSEUDONYMISED] = pseudonymise(subject, practice_id)
        destruction = _finish(
            request,
            event="rights.case.delete",
            case=None,
            subject=subject,
            scope="case",
            name=name,
            reason=reason,
            note=note,
            by=by,
            counts=counts,
            practice_id=practice_id,
            request_id=request_id,
        )
    _checkpoint()
    return destruction
