"""The reports of a case: choose, preview, and make each one as a PDF.

Only the case's therapists reach these pages. A preview is logged as a read of
the report and a PDF as the report made, each with the parts it held; both
also log the client data they read, in the same single insert. A report is
downloaded by the therapist and never sent to anyone by Dyade.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from dyade.audit.models import AuditEvent
from dyade.audit.services import Outcome, prepare, record, record_many
from dyade.cases.models import Case, Partner
from dyade.documents import access, pdf, referral, reports
from dyade.documents.forms import ReportOptions
from dyade.i18n import language as _language

WITH_SAFETY = ("intake", "progress")  # the reports that can hold safety answers


@login_required
def report_list(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.document_case(request, pk, "report.read")
    kinds = [(kind, label) for kind, label in reports.KINDS.items()]
    return render(request, "documents/reports.html", {"case": case, "kinds": kinds})


def _context(
    request: HttpRequest, case: Case, partners: list[Partner], built: reports.Report, lang: str
) -> dict[str, Any]:
    return {
        "case": case,
        "partners": partners,
        "report_language": lang,
        "body_template": f"documents/reports/{built.kind}.html",
        **reports.header(case, request.user, built.title),
        **built.context,
    }


def _made(
    request: HttpRequest,
    case: Case,
    partners: list[Partner],
    built: reports.Report,
    lang: str,
    read: list[AuditEvent],
) -> HttpResponse:
    """The PDF of ``built``; its audit events are written before it is handed out."""
    with translation.override(lang):
        document = pdf.render(
            "documents/report_pdf.html", _context(request, case, partners, built, lang)
        )
    made = prepare(request, "report.create", obj=case, case=case, detail=built.detail(lang))
    record_many([*read, made])
    response = HttpResponse(document, content_type="application/pdf")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{built.kind}-{case.pk}-{day}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _preview(
    request: HttpRequest, case: Case, partners: list[Partner], built: reports.Report, lang: str
) -> str:
    with translation.override(lang):
        context = _context(request, case, partners, built, lang)
        return mark_safe(render_to_string("documents/report_body.html", context))  # noqa: S308 - a template


@login_required
def report(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    event = "report.create" if request.method == "POST" else "report.read"
    case = access.document_case(request, pk, event)
    if kind not in reports.KINDS:
        record(request, event, case=case, outcome=Outcome.DENIED, detail=kind[:40])
        raise Http404
    partners = list(case.partners.all())
    if kind == "referral":
        return _referral(request, case, partners)
    data = request.POST if request.method == "POST" else None
    form = ReportOptions(data, initial={"language": _language(), "safety": True})
    status = 200
    if data is not None and not form.is_valid():
        record(request, event, case=case, outcome=Outcome.INVALID, detail=kind)
        status = 400
    options = form.cleaned_data if data is not None and status == 200 else form.initial
    lang = options["language"]
    with translation.override(lang):
        built = reports.BUILDERS[kind](request, case, partners, bool(options["safety"]))
    if data is not None and status == 200 and request.POST.get("action") == "pdf":
        return _made(request, case, partners, built, lang, built.events)
    record_many(
        [
            *built.events,
            prepare(request, "report.read", obj=case, case=case, detail=built.detail(lang)),
        ]
    )
    context = {
        "case": case,
        "kind": kind,
        "title": built.title,
        "form": form,
        "with_safety": kind in WITH_SAFETY,
        "preview": _preview(request, case, partners, built, lang),
    }
    return render(request, "documents/report.html", context, status=status)


def _referral(request: HttpRequest, case: Case, partners: list[Partner]) -> HttpResponse:
    """The letter's form, prefilled; the therapist edits it, previews it and makes it."""
    wanted = request.POST.get("language") or request.GET.get("language")
    lang = wanted if wanted in ("nl", "en") else _language()
    with translation.override(lang):
        started = referral.start(request, case, partners)
    items = started["items"]
    if request.method == "POST":
        form = referral.ReferralForm(request.POST, items=items)
        if not form.is_valid():
            record(request, "report.create", case=case, outcome=Outcome.INVALID, detail="referral")
            record_many(started["events"])
            return _referral_page(
                request, case, form, None, lang, status=400, signal=started["signal"]
            )
        built = referral.letter(form, items)
        if request.POST.get("action") == "pdf":
            return _made(request, case, partners, built, lang, started["events"])
        record_many(
            [
                *started["events"],
                prepare(request, "report.read", obj=case, case=case, detail=built.detail(lang)),
            ]
        )
        preview = _preview(request, case, partners, built, lang)
        return _referral_page(request, case, form, preview, lang, signal=started["signal"])
    form = referral.ReferralForm(
        initial={"recipient": "sexologist", "letter": started["draft"]}, items=items
    )
    record_many(started["events"])
    return _referral_page(request, case, form, None, lang, signal=started["signal"])


def _referral_page(
    request: HttpRequest,
    case: Case,
    form: referral.ReferralForm,
    preview: str | None,
    lang: str,
    status: int = 200,
    signal: dict[str, Any] | None = None,
) -> HttpResponse:
    context = {
        "signal": signal,
        "case": case,
        "kind": "referral",
        "title": str(reports.KINDS["referral"]),
        "form": form,
        "preview": preview,
        "letter_language": lang,
    }
    return render(request, "documents/referral.html", context, status=status)
