"""The practice admin's view of the audit trail and its CSV export (both audited too).

Events are shown in words (:mod:`dyade.practice.event_labels`), people by name and
role, cases by their label. The filters match a person's name or e-mail address and
a case's name (or its number), an outcome and a day; whatever is typed into the
address bar is at worst an empty result, never a server error. The CSV holds the
rows the page shows with the same filters, under the same rules: only the admin's
practice, no clinical detail.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dyade.accounts.models import Role
from dyade.audit.models import AuditEvent, Outcome
from dyade.audit.services import record
from dyade.practice import access, event_labels

PAGE_SIZE = 50
CSV_CHUNK = 500
MAX_FILTER_LENGTH = 100
CASE_NUMBER_DIGITS = 18  # larger numbers are no case number (and overflow a bigint)


@dataclass(frozen=True)
class Filters:
    """What the admin typed, cleaned: no control characters, at most 100 characters."""

    user: str = ""
    case: str = ""
    outcome: str = ""
    date: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest) -> Filters:
        return cls(**{f.name: _clean(request.GET.get(f.name, "")) for f in fields(cls)})

    def items(self) -> list[tuple[str, str]]:
        return [(f.name, getattr(self, f.name)) for f in fields(self) if getattr(self, f.name)]

    def query(self) -> str:
        return urlencode(self.items())

    def describe(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.items()) or "no filter"

    def day(self) -> dt.date | None:
        try:
            return dt.date.fromisoformat(self.date) if self.date else None
        except ValueError:
            return None


def _clean(value: str) -> str:
    """Without NUL and other control characters (PostgreSQL refuses NUL), trimmed."""
    kept = "".join(char for char in value[: MAX_FILTER_LENGTH * 2] if char.isprintable())
    return kept.strip()[:MAX_FILTER_LENGTH]


def filtered_events(user: object, filters: Filters) -> QuerySet[AuditEvent]:
    """The admin's practice's events that match ``filters``, newest first."""
    events = access.audit_events_for(user)
    if filters.user:
        named = access.people_named(user, filters.user)
        events = events.filter(Q(user_label__icontains=filters.user) | Q(user_id__in=named))
    if filters.case:
        text = filters.case
        is_number = text.isascii() and text.isdigit() and len(text) <= CASE_NUMBER_DIGITS
        if is_number:
            events = events.filter(case_id=int(text))
        else:
            events = events.filter(case_label__icontains=text)
    if filters.outcome in Outcome.values:
        events = events.filter(outcome=filters.outcome)
    day = filters.day()
    if day is not None:
        events = events.filter(time__date=day)
    return events


@dataclass(frozen=True)
class Row:
    """One event as the practice admin reads it."""

    event: AuditEvent
    who: str
    who_note: str  # the e-mail address, or that the person left the practice
    role: str
    what: str
    detail: str | None  # None: withheld, it would say something about a client's therapy
    client: str


def rows_for(user: object, events: Iterable[AuditEvent]) -> list[Row]:
    """Rows for ``events``, with one query for the people among them."""
    events = list(events)
    people = access.audit_people(user, (event.user_id for event in events))
    roles = dict(Role.choices)
    rows = []
    for event in events:
        person = people.get(event.user_id) if event.user_id is not None else None
        if person is not None:
            who = person.name or person.email
            note = event.user_label if event.user_label != who else ""
        elif event.user_id is not None or event.user_label:
            who = event.user_label or f"#{event.user_id}"
            note = _("no longer in the practice")
        else:
            automatic = event.access_point == "system"
            who = _("Dyade (automatic)") if automatic else _("not signed in")
            note = ""
        # A destroyed record's events keep only its pseudonym (case label, partner slot).
        about_client = (
            event.case_id is not None
            or event.partner_id is not None
            or bool(event.case_label or event.partner_slot)
        )
        rows.append(
            Row(
                event=event,
                who=who,
                who_note=note,
                role=str(roles.get(event.role, event.role)),
                what=event_labels.label(event.event),
                detail=event_labels.shown_detail(event.detail, about_client=about_client),
                client=_("partner %(slot)s") % {"slot": event.partner_slot}
                if event.partner_slot
                else "",
            )
        )
    return rows


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not access.can_view_audit(request.user):
        raise PermissionDenied
    filters = Filters.from_request(request)
    events = filtered_events(request.user, filters)
    with transaction.atomic():
        page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
        events_shown = list(page.object_list)
        detail = f"page {page.number}, {len(events_shown)} events; {filters.describe()}"
        record(request, "audit.read", detail=detail)
    context = {
        "page": page,
        "rows": rows_for(request.user, events_shown),
        "filters": filters,
        "query": filters.query(),
        "outcomes": Outcome.choices,
    }
    return render(request, "audit/audit_log.html", context)


CSV_COLUMNS = [
    gettext_lazy("Number"),
    gettext_lazy("Time"),
    gettext_lazy("Event"),
    gettext_lazy("Event in words"),
    gettext_lazy("Outcome"),
    gettext_lazy("User number"),
    gettext_lazy("Name"),
    gettext_lazy("E-mail address"),
    gettext_lazy("Role"),
    gettext_lazy("Case number"),
    gettext_lazy("Case"),
    gettext_lazy("Client"),
    gettext_lazy("Object"),
    gettext_lazy("Object number"),
    gettext_lazy("Detail"),
    gettext_lazy("IP address"),
    gettext_lazy("Access point"),
    gettext_lazy("Browser"),
]
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_values(row: Row) -> list[str]:
    event = row.event
    withheld = _("(not shown: client data)")
    values: list[object] = [
        event.pk,
        timezone.localtime(event.time).isoformat(timespec="seconds"),
        event.event,
        row.what,
        event.get_outcome_display(),
        event.user_id,
        row.who,
        event.user_label,
        row.role,
        event.case_id,
        event.case_label,
        row.client,
        event.object_type,
        event.object_id,
        withheld if row.detail is None else row.detail,
        event.ip_address,
        event.access_point,
        event.user_agent,
    ]
    return [_cell(value) for value in values]


class _Echo:
    """The file-like object csv.writer writes to: each line is handed on, not kept."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(user: object, events: QuerySet[AuditEvent], language: str) -> Iterator[str]:
    """The file, 500 rows at a time (one query for their people), in the reader's language.

    It runs after the view has returned, while the response is sent.
    """
    writer = csv.writer(_Echo())

    def block(chunk: list[AuditEvent]) -> str:
        with translation.override(language):
            return "".join(writer.writerow(csv_values(row)) for row in rows_for(user, chunk))

    with translation.override(language):
        header = "\ufeff" + writer.writerow([str(column) for column in CSV_COLUMNS])
    yield header
    chunk: list[AuditEvent] = []
    for event in events.iterator(chunk_size=CSV_CHUNK):
        chunk.append(event)
        if len(chunk) == CSV_CHUNK:
            yield block(chunk)
            chunk = []
    if chunk:
        yield block(chunk)


@login_required
def audit_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered log as CSV, streamed; the export is logged with its filter and size.

    The rows end at the newest event before the export's own, so the file holds
    exactly the rows its audit event counts.
    """
    if not access.can_view_audit(request.user):
        raise PermissionDenied
    filters = Filters.from_request(request)
    with transaction.atomic():
        practice_events = access.audit_events_for(request.user).order_by("-id")
        last_id = practice_events.values_list("id", flat=True).first() or 0
        events = filtered_events(request.user, filters).filter(id__lte=last_id)
        count = events.count()
        record(request, "audit.export.read", detail=f"CSV, {count} events; {filters.describe()}")
    lines = _csv_lines(request.user, events, translation.get_language())
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="dyade-audit-{day}.csv"'
    response["Cache-Control"] = "no-store"
    return response
