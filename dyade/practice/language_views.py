"""The practice admin chooses how Dyade addresses partners in Dutch: "je" or "u"."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dyade.accounts.models import Practice
from dyade.audit.services import record
from dyade.practice import access


class AddressForm(forms.Form):
    address = forms.ChoiceField(
        label=gettext_lazy("How Dyade addresses partners in Dutch"),
        choices=[
            ("informal", gettext_lazy("Informally, with ‘je’ (the default)")),
            ("formal", gettext_lazy("Formally, with ‘u’")),
        ],
        widget=forms.RadioSelect,
    )


@login_required
def language(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_staff(request.user):
        raise PermissionDenied
    practice = Practice.objects.get(pk=request.user.practice_id)
    form = AddressForm(
        request.POST or None,
        initial={"address": "formal" if practice.formal_dutch else "informal"},
    )
    if request.method == "POST" and form.is_valid():
        formal = form.cleaned_data["address"] == "formal"
        if formal != practice.formal_dutch:
            practice.formal_dutch = formal
            practice.save(update_fields=["formal_dutch"])
            record(
                request,
                "practice.language.update",
                obj=practice,
                detail=form.cleaned_data["address"],
            )
        messages.success(request, _("Saved."))
        return redirect("practice:language")
    return render(request, "practice/language.html", {"form": form})
