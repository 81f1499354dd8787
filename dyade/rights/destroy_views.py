"""The practice admin's pages for retention and destruction.

``retention``: the practice's term (country and years), the closed cases with the
date each will be destroyed, and a search for any case of the practice by name or
number. ``destroy``: for one case, step one (what goes, and the request it goes for)
and step two (what will be removed, counted; the case's name typed again and a box
ticked), then the destruction and a page that says what was done. Everyone but the
practice's own admin gets "not found" (a case of another practice) or "forbidden".
"""

from __future__ import annotations

import logging
import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dyade.audit.services import Outcome, record
from dyade.cases import policy
from dyade.cases.models import Case, CaseStatus, Partner
from dyade.rights import access, erasure, preview, retention
from dyade.rights.destroy_forms import ConfirmForm, DestroyForm, FindForm, RetentionForm
from dyade.rights.models import Destruction, Retention

logger = logging.getLogger(__name__)
LISTED = 50
FOUND = 20


def _admin(request: HttpRequest) -> None:
    if not access.can_destroy(request.user):
        raise PermissionDenied


def _case(request: HttpRequest, case_id: int) -> Case:
    case = access.destroyable_cases(request.user).filter(pk=case_id).first()
    if case is None:
        policy.refuse(request, "rights.destroy.read", f"case {case_id}")
    return case


def _found(request: HttpRequest, text: str) -> list[Case]:
    cases = access.destroyable_cases(request.user)
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return list(cases.filter(Q(pk=int(text)) | Q(label__icontains=text))[:FOUND])
    return list(cases.filter(label__icontains=text).order_by("label", "pk")[:FOUND])


@login_required
def retention_page(request: HttpRequest) -> HttpResponse:
    _admin(request)
    practice = request.user.practice
    country, years = retention.term(practice)
    form = RetentionForm(request.POST or None, initial={"country": country, "years": years})
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                setting, _created = Retention.objects.update_or_create(
                    practice=practice,
                    defaults={
                        "country": form.cleaned_data["country"],
                        "years": form.cleaned_data["years"],
                        "changed_by": request.user,
                        "changed_at": timezone.now(),
                    },
                )
                record(
                    request,
                    "rights.retention.update",
                    obj=setting,
                    detail=f"{setting.country}, {setting.years} years",
                )
            return redirect("rights:retention")
        record(request, "rights.retention.update", outcome=Outcome.INVALID, detail="form")
    find = FindForm(request.GET or None)
    text = find.cleaned_data["q"] if find.is_valid() else ""
    found = _found(request, text) if text else []
    closed = list(
        access.destroyable_cases(request.user)
        .filter(status=CaseStatus.CLOSED)
        .order_by("changed_at", "pk")[:LISTED]
    )
    rows = [(case, retention.kept_until(case, years)) for case in closed]
    done = Destruction.objects.filter(practice_id=practice.pk).select_related("by")[:LISTED]
    record(
        request,
        "rights.retention.list",
        detail=f"{len(rows)} closed cases, {len(found)} found",
    )
    context = {
        "form": form,
        "saved": Retention.objects.filter(practice_id=practice.pk).exists(),
        "find": find,
        "found": found,
        "searched": bool(text),
        "rows": rows,
        "done": done,
        "now": timezone.now(),
    }
    return render(request, "rights/retention.html", context)


def _partner(case: Case, what: str) -> object | None:
    return case.partners.filter(slot=what).first() if what in ("A", "B") else None


@login_required
def destroy(request: HttpRequest, case_id: int) -> HttpResponse:
    """Step one (GET, or POST with errors) and, once it is valid, step two."""
    _admin(request)
    case = _case(request, case_id)
    record(request, "rights.destroy.read", case=case, detail="step 1")
    if request.method == "POST":
        form = DestroyForm(request.POST, case=case)
        if form.is_valid():
            return _confirm_page(request, case, ConfirmForm(initial=form.cleaned_data, case=case))
    else:
        form = DestroyForm(initial={"request_id": uuid.uuid4()}, case=case)
    return render(request, "rights/destroy.html", _context(case, form))


@login_required
def confirm(request: HttpRequest, case_id: int) -> HttpResponse:
    """Step two sent: destroy, or show step two again with what was typed."""
    _admin(request)
    if request.method != "POST":
        return redirect("rights:destroy", case_id=case_id)
    done = _already_done(request)
    if done is not None:
        return redirect("rights:destroyed", pk=done.pk)
    case = _case(request, case_id)
    form = ConfirmForm(request.POST, case=case)
    if not form.is_valid():
        record(request, "rights.destroy.read", case=case, outcome=Outcome.INVALID, detail="step 2")
        return _confirm_page(request, case, form)
    data = form.cleaned_data
    partner = _partner(case, data["what"])
    try:
        if partner is None:
            destruction = erasure.destroy_case(
                request, case, by=request.user, note=data["note"], request_id=data["request_id"]
            )
        else:
            destruction = erasure.destroy_partner(
                request, partner, by=request.user, note=data["note"], request_id=data["request_id"]
            )
    except (Case.DoesNotExist, Partner.DoesNotExist):  # destroyed a moment ago by another
        raise Http404 from None
    except ProtectedError:  # a table Dyade does not know how to empty yet: nothing was done
        logger.exception("destroying case %s was refused by the database", case.pk)
        record(request, "rights.case.delete", case=case, outcome=Outcome.DENIED, detail="kept")
        form.add_error(None, _("Dyade could not destroy this record, and nothing was removed."))
        return _confirm_page(request, case, form)
    return redirect("rights:destroyed", pk=destruction.pk)


def _already_done(request: HttpRequest) -> Destruction | None:
    """The destruction this form already made (a second click, a resend)."""
    try:
        request_id = uuid.UUID(request.POST.get("request_id", ""))
    except ValueError:
        return None
    return Destruction.objects.filter(
        request_id=request_id, practice_id=request.user.practice_id
    ).first()


def _context(case: Case, form: DestroyForm) -> dict[str, object]:
    _country, years = retention.term(case.practice)
    return {
        "case": case,
        "form": form,
        "partners": list(case.partners.all()),
        "kept_until": retention.kept_until(case, years),
    }


def _confirm_page(request: HttpRequest, case: Case, form: ConfirmForm) -> HttpResponse:
    what = form.data.get("what") if form.is_bound else form.initial.get("what")
    partner = _partner(case, str(what or ""))
    context = _context(case, form)
    context["partner"] = partner
    context["counts"] = preview.counts(case, partner)  # type: ignore[arg-type]
    return render(request, "rights/destroy_confirm.html", context)


@login_required
def destroyed(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    destruction = Destruction.objects.filter(pk=pk, practice_id=request.user.practice_id).first()
    if destruction is None:
        policy.refuse(request, "rights.retention.list", f"destruction {pk}")
    record(request, "rights.destruction.read", obj=destruction, detail=destruction.pseudonym)
    rows = [
        (str(preview.WORDS.get(label, label)), number)
        for label, number in sorted(destruction.counts.items(), key=lambda item: -item[1])
    ]
    return render(request, "rights/destroyed.html", {"destruction": destruction, "rows": rows})
