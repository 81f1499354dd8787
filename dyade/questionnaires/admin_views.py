"""The practice admin's page for instruments: which can be given, and importing item texts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dyade.audit.services import Outcome, record
from dyade.clinic.instruments import LANGUAGES
from dyade.content import current_instruments
from dyade.questionnaires import access, services
from dyade.questionnaires.forms import ImportTextsForm

EXAMPLE = """{
  "instrument": "ecr-rs-partner",
  "language": "nl",
  "items": {"1": "…", "2": "…", "3": "…", "4": "…", "5": "…",
            "6": "…", "7": "…", "8": "…", "9": "…"},
  "anchors": {"1": "…", "7": "…"}
}"""


@login_required
def instruments(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_instrument_texts(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = ImportTextsForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data["file"]
            _row, created = services.import_texts(
                request,
                request.user.practice,
                data["instrument"],
                data["language"],
                data["items"],
                data["anchors"],
            )
            message = (
                _("The texts of %(id)s (%(language)s) have been imported.")
                if created
                else _("The texts of %(id)s (%(language)s) have been replaced.")
            )
            messages.success(
                request, message % {"id": data["instrument"].id, "language": data["language"]}
            )
            return redirect("practice:instruments")
        record(request, "instrument_text.create", outcome=Outcome.INVALID)
    else:
        form = ImportTextsForm()
    texts = {
        (row.instrument, row.version, row.language): row
        for row in access.instrument_texts_for(request.user)
    }
    rows = []
    for instrument in current_instruments():
        rows.append(
            {
                "instrument": instrument,
                "languages": [
                    (lang, texts.get((instrument.id, instrument.version, lang)))
                    for lang in LANGUAGES
                ],
            }
        )
    return render(
        request,
        "questionnaires/instruments.html",
        {"rows": rows, "form": form, "example": EXAMPLE},
    )
