"""The audit trail after a record is destroyed: it keeps the event, not the person.

NEN 7513 asks that the trail shows what happened; the GDPR and the WGBO ask that
a destroyed record is gone. So the events stay, and every reference to the person
in them is replaced by a pseudonym such as ``destroyed-partner-3f9a0c1d2e4b``:
the partner and case ids, the acting account and its address, the IP address and
browser of that person, and their name or e-mail address wherever it appears in a
detail, a path or a label. The pseudonym is stable (a keyed hash of the record's
id), so the events of one person still read as one person's.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q

from dyade.audit.models import AuditEvent

BATCH = 500
_CHANGED = (
    "user_id",
    "user_label",
    "ip_address",
    "user_agent",
    "access_point",
    "case_id",
    "case_label",
    "partner_id",
    "object_id",
    "detail",
)


def pseudonym(kind: str, pk: int) -> str:
    """``destroyed-<kind>-<12 hex>``, the same for the same record on this installation."""
    key = settings.SECRET_KEY.encode("utf-8")
    digest = hmac.new(key, f"{kind}:{pk}".encode(), hashlib.sha256).hexdigest()
    return f"destroyed-{kind}-{digest[:12]}"


@dataclass
class Person:
    """One partner being destroyed: their ids, the words that name them, their pseudonym."""

    partner_id: int
    user_id: int | None
    pseudonym: str
    words: list[str] = field(default_factory=list)  # name, e-mail addresses


@dataclass
class Subject:
    """What a destruction replaces in the trail: the people, and the whole case if asked."""

    people: list[Person]
    case_id: int | None = None  # set when the whole case goes
    case_pseudonym: str = ""
    case_words: list[str] = field(default_factory=list)  # the case name
    within_case: int | None = None  # the case's other events are searched for names too

    def pattern(self) -> re.Pattern[str] | None:
        """One case-insensitive pattern for every name and address, longest first."""
        words = {w.strip() for p in self.people for w in p.words} | set(self.case_words)
        words = {w for w in words if len(w) >= 2}
        if not words:
            return None
        ordered = sorted(words, key=len, reverse=True)
        return re.compile("|".join(re.escape(w) for w in ordered), re.IGNORECASE)


def _emails(subject: Subject) -> list[str]:
    return [w for p in subject.people for w in p.words if "@" in w]


def events_of(subject: Subject) -> Q:
    """The events that name anyone in ``subject``."""
    query = Q(pk__in=[])
    partner_ids = [p.partner_id for p in subject.people]
    user_ids = [p.user_id for p in subject.people if p.user_id is not None]
    if partner_ids:
        query |= Q(partner_id__in=partner_ids)
    if user_ids:
        query |= Q(user_id__in=user_ids)
    for email in _emails(subject):
        query |= Q(user_label__iexact=email)
    for case_id in {subject.case_id, subject.within_case} - {None}:
        query |= Q(case_id=case_id)
    return query


def _scrub(text: str, pattern: re.Pattern[str] | None, replacement: str, size: int) -> str:
    if pattern is None or not text:
        return text
    return pattern.sub(replacement, text)[:size]


def _rewrite(event: AuditEvent, subject: Subject, pattern: re.Pattern[str] | None) -> None:
    by_partner = {p.partner_id: p for p in subject.people}
    by_user = {p.user_id: p for p in subject.people if p.user_id is not None}
    by_email = {w.lower(): p for p in subject.people for w in p.words if "@" in w}
    default = subject.people[0].pseudonym if subject.people else subject.case_pseudonym
    actor = by_user.get(event.user_id) or by_email.get(event.user_label.lower())
    about = by_partner.get(event.partner_id) if event.partner_id is not None else None
    detail = event.detail
    if actor is not None:  # the person acted: nothing of their account or device stays
        event.user_id = None
        event.user_label = actor.pseudonym
        event.ip_address = None
        event.user_agent = ""
    if about is not None:
        event.partner_id = None
        detail = f"{about.pseudonym}: {detail}" if detail else about.pseudonym
    if subject.case_id is not None and event.case_id == subject.case_id:
        event.case_id = None
        event.case_label = subject.case_pseudonym
    if event.object_type == "cases.Partner" and int_or_none(event.object_id) in by_partner:
        event.object_id = by_partner[int(event.object_id)].pseudonym[:60]
    elif event.object_type == "accounts.User" and int_or_none(event.object_id) in by_user:
        event.object_id = by_user[int(event.object_id)].pseudonym[:60]
    elif event.object_type == "cases.Case" and subject.case_id is not None:
        if int_or_none(event.object_id) == subject.case_id:
            event.object_id = subject.case_pseudonym[:60]
    replacement = subject.case_pseudonym if subject.case_id is not None else default
    event.detail = _scrub(detail, pattern, replacement, 300)
    event.access_point = _scrub(event.access_point, pattern, replacement, 300)
    event.user_label = _scrub(event.user_label, pattern, replacement, 254)
    event.case_label = _scrub(event.case_label, pattern, replacement, 200)


def int_or_none(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def pseudonymise(subject: Subject, practice_id: int) -> int:
    """Rewrite every event that names ``subject``; returns how many were rewritten.

    Events of other practices are left alone (a partner's id is unique anyway;
    the practice keeps a look-up by e-mail address from touching another's trail).
    """
    pattern = subject.pattern()
    events = AuditEvent.objects.filter(events_of(subject)).filter(
        Q(practice_id=practice_id) | Q(practice_id__isnull=True)
    )
    count = 0
    batch: list[AuditEvent] = []
    for event in events.order_by("pk").iterator(chunk_size=BATCH):
        _rewrite(event, subject, pattern)
        batch.append(event)
        if len(batch) >= BATCH:
            count += _save(batch)
            batch = []
    return count + _save(batch)


def _save(batch: Iterable[AuditEvent]) -> int:
    rows = list(batch)
    if rows:
        AuditEvent.objects.bulk_update(rows, _CHANGED)
    return len(rows)
