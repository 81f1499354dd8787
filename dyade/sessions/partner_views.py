"""What a partner sees of the session work: only the cycle map their therapist published."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dyade.audit.services import record
from dyade.cases import policy
from dyade.reports import cycle_diagram
from dyade.sessions import access, services


@login_required
def my_cycle(request: HttpRequest) -> HttpResponse:
    partner = policy.partner_or_403(request)
    with transaction.atomic():
        version = access.published_cycle(request.user)
        record(
            request,
            "cycle.read",
            obj=version,
            partner=partner,
            detail=f"published v{version.number}" if version else "none published",
        )
    context: dict[str, object] = {"version": version}
    if version is not None:
        case = partner.case
        cycle_map = services.cycle_of(version, case)
        names = {p.slot: p.name for p in case.partners.all()}
        context["diagrams"] = cycle_diagram.both(cycle_map, names)
    return render(request, "sessions/my_cycle.html", context)
