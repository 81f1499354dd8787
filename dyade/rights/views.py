"""A partner's rights on their phone: all my data (a page and a download) and who has seen it.

Each page writes its audit events before it shows anything: one for the partner whose
data it is, and one for the other partner whose shared data it holds (that one is not
shown to the other partner on their own "who has seen my data"; see ``access``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dyade.audit.services import prepare, record, record_many
from dyade.cases import policy
from dyade.cases.models import Partner
from dyade.i18n import language as _language
from dyade.rights import access, collect, files, present, seen, sources

PAGE_SIZE = 25


def record_copy(
    request: HttpRequest, event: str, partner: Partner, copy: dict[str, Any], detail: str
) -> None:
    """One event for the copy's subject, one for the other partner if their shared data is in it."""
    events = [prepare(request, event, partner=partner, detail=detail)]
    shared = copy.get("shared_with_me") or {}
    other = partner.other if shared else None
    if other is not None:
        events.append(
            prepare(
                request,
                access.SHARED_INTO_OTHERS_COPY,
                partner=other,
                detail=f"shared with partner {partner.slot}: {detail}",
            )
        )
    record_many(events)


def _own_copy(request: HttpRequest, event: str, detail: str) -> tuple[dict[str, Any], str]:
    partner = policy.partner_or_403(request, closed_ok=True)  # kept after closing
    language = _language()
    with transaction.atomic():
        copy = collect.partner_copy(request.user, language=language)
        record_copy(request, event, partner, copy, detail)
    return copy, language


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    copy, _language_used = _own_copy(request, "rights.data.read", "page")
    context = {"copy": copy, "sections": present.sections(copy)}
    return render(request, "rights/my_data.html", context)


@login_required
def my_data_download(request: HttpRequest) -> HttpResponse:
    copy, language = _own_copy(request, "rights.export.read", "download from the phone")
    return files.download(copy, language, "my-data")


@login_required
def who_has_seen(request: HttpRequest) -> HttpResponse:
    partner = policy.partner_or_403(request, closed_ok=True)  # kept after closing
    own = request.GET.get("own") == "1"
    events = access.events_about(request.user, partner, own=own)
    with transaction.atomic():
        page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
        shown = list(page.object_list)
        research = sources.research_downloads(partner) if page.number == 1 else []
        record(
            request,
            "rights.seen.list",
            partner=partner,
            detail=f"page {page.number}, {len(shown)} events",
        )
    context = {
        "page": page,
        "rows": seen.rows(shown, request.user),
        "research": research,
        "own": own,
        "other": partner.other,
    }
    return render(request, "rights/seen.html", context)
