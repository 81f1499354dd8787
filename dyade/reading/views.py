"""Psycho-education: the therapist gives pages, the partner reads them on a phone."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dyade.audit.services import Outcome, record
from dyade.cases import closed_guard, policy
from dyade.cases.models import Case, Partner
from dyade.content import readings
from dyade.i18n import content_language
from dyade.reading import access
from dyade.reading.models import ReadingAssignment


class AssignReadingForm(forms.Form):
    slug = forms.ChoiceField(label=gettext_lazy("Page"))
    who = forms.ChoiceField(label=gettext_lazy("For"))

    def __init__(self, *args: object, case: Case, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        language = content_language()
        self.fields["slug"].choices = [
            (slug, page.in_language(language)["title"]) for slug, page in readings().items()
        ]
        partners = list(case.partners.all())
        choices = [(p.slot, f"{p.name} ({p.slot})") for p in partners]
        if len(partners) == 2:
            choices.append(("both", _("Both partners")))
        self.fields["who"].choices = choices


def assign_reading(request: HttpRequest, partners: list[Partner], slug: str) -> list[Partner]:
    """Give page ``slug`` to each partner who does not have it yet; return who got it."""
    page = readings()[slug]
    given = []
    for partner in partners:
        try:
            with transaction.atomic():
                assignment, created = ReadingAssignment.objects.get_or_create(
                    partner=partner,
                    slug=slug,
                    defaults={"version": page.version, "assigned_by": request.user},
                )
                if created:
                    record(request, "reading.create", obj=assignment, partner=partner, detail=slug)
                    given.append(partner)
        except IntegrityError:  # the same page given twice at once: one stays
            continue
    return given


@login_required
def case_reading(request: HttpRequest, pk: int) -> HttpResponse:
    if not policy.can_create_case(request.user):
        raise PermissionDenied
    event = "reading.create" if request.method == "POST" else "reading.list"
    case = policy.get_case(request, pk, event=event)
    if request.method == "POST":
        refused = closed_guard.refuse_if_closed(request, case, event, "cases:reading", case.pk)
        if refused is not None:
            return refused
    form = AssignReadingForm(request.POST or None, case=case)
    if request.method == "POST":
        if form.is_valid():
            who = form.cleaned_data["who"]
            partners = [p for p in case.partners.all() if who in ("both", p.slot)]
            given = assign_reading(request, partners, form.cleaned_data["slug"])
            if given:
                messages.success(
                    request,
                    _("The page has been given to %(names)s.")
                    % {"names": ", ".join(p.name for p in given)},
                )
            else:
                messages.info(request, _("Nothing new: they already have this page."))
            return redirect("cases:reading", pk=case.pk)
        record(request, "reading.create", case=case, outcome=Outcome.INVALID)
    with transaction.atomic():
        assignments = list(access.case_readings(request.user, case))
        record(request, "reading.list", case=case, detail=f"{len(assignments)}")
    language = content_language()
    pages = {slug: page.in_language(language) for slug, page in readings().items()}
    rows = [
        {"assignment": a, "title": pages.get(a.slug, {}).get("title", a.slug)} for a in assignments
    ]
    context = {"case": case, "form": form, "rows": rows, "pages": pages}
    return render(request, "reading/case_reading.html", context)


@login_required
def preview(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """A page as the partners will read it, for a therapist of the case, before giving it."""
    if not policy.can_create_case(request.user):
        raise PermissionDenied
    case = policy.get_case(request, pk, event="reading_preview.read")
    page = readings().get(slug)
    if page is None:
        record(request, "reading_preview.read", case=case, outcome=Outcome.DENIED, detail=slug)
        raise Http404
    record(request, "reading_preview.read", case=case, detail=slug)
    context = {"case": case, "page": page.in_language(content_language())}
    return render(request, "reading/preview.html", context)


@login_required
def my_reading(request: HttpRequest) -> HttpResponse:
    partner = policy.partner_or_403(request)
    with transaction.atomic():
        assignments = list(access.own_readings(request.user))
        record(request, "reading.list", partner=partner, detail=f"{len(assignments)}")
    language = content_language()
    items = []
    for assignment in assignments:
        page = readings().get(assignment.slug)
        if page is not None:
            items.append({"assignment": assignment, "page": page.in_language(language)})
    return render(request, "reading/my_reading.html", {"items": items})


@login_required
def read_page(request: HttpRequest, slug: str) -> HttpResponse:
    partner = policy.partner_or_403(request)
    assignment = access.own_readings(request.user).filter(slug=slug).first()
    page = readings().get(slug)
    if assignment is None or page is None:
        record(request, "reading.read", partner=partner, outcome=Outcome.DENIED, detail=slug)
        raise Http404
    with transaction.atomic():
        if assignment.read_at is None:
            assignment.read_at = timezone.now()
            assignment.save(update_fields=["read_at"])
        record(request, "reading.read", obj=assignment, partner=partner, detail=slug)
    return render(request, "reading/page.html", {"page": page.in_language(content_language())})
