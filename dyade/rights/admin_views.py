"""The practice admin makes a copy of a person's data for a written request.

The admin types the e-mail address the request came with and a reference for the
request; the copy downloads as a zip, in the person's own language, and is never
shown on a page. A partner's copy is the one they could take from their phone plus
the safety part of their questionnaires; a therapist's is described in ``staff``.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dyade.accounts.middleware import speaking_to
from dyade.accounts.models import Role
from dyade.audit.services import Outcome, record
from dyade.cases import policy
from dyade.rights import access, collect, files, staff
from dyade.rights.views import record_copy


class RequestForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address of the person who asked"),
        max_length=254,
        error_messages={"invalid": gettext_lazy("Give an e-mail address like name@example.nl.")},
    )
    reference = forms.CharField(
        label=gettext_lazy("Reference of the written request"),
        max_length=120,
        help_text=gettext_lazy("For example the date of the letter, or the number you gave it."),
    )


@login_required
def copy_request(request: HttpRequest) -> HttpResponse:
    if not access.can_make_copies(request.user):
        raise PermissionDenied
    form = RequestForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            record(request, "rights.export.read", outcome=Outcome.INVALID, detail="request form")
        else:
            reference = form.cleaned_data["reference"].strip()
            subject = access.subject_for(request.user, form.cleaned_data["email"])
            if subject is not None:
                return _copy(request, subject, reference)
            record(
                request,
                "rights.export.read",
                outcome=Outcome.DENIED,
                detail="no partner or therapist of this practice with that address",
            )
            form.add_error(
                "email", _("No partner or therapist of this practice has this e-mail address.")
            )
    return render(request, "rights/requests.html", {"form": form})


def _copy(request: HttpRequest, subject: object, reference: str) -> HttpResponse:
    language = getattr(subject, "language", "nl") or "nl"
    detail = f"written request: {reference}"
    # A partner of a practice that says "u" reads the copy in formal Dutch.
    with translation.override(speaking_to(subject, language)), transaction.atomic():
        if getattr(subject, "role", "") == Role.THERAPIST:
            copy = staff.therapist_copy(subject, language=language, reference=reference)
            record(request, "rights.export.read", obj=subject, detail=f"therapist, {detail}")
            name = "therapist"
        else:
            partner = policy.own_partner(subject)
            copy = collect.partner_copy(subject, language=language, reference=reference)
            record_copy(request, "rights.export.read", partner, copy, detail)
            name = "client"
        return files.download(copy, language, name)
