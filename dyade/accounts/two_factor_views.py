"""Pages to set up and to enter the second factor."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from dyade.accounts import two_factor
from dyade.accounts.navigation import safe_next
from dyade.audit.services import Outcome, record


class CodeForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("The code consists of digits only."))
        return token


WRONG_CODE = _("That code is not right, or it has expired. Please try the newest code.")


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    # A device set up meanwhile (in another session) is looked for, not taken from the session.
    if two_factor.pending_step(request, look=True) == "verify" or request.user.is_verified():  # type: ignore[union-attr]
        return redirect(safe_next(request))
    device = two_factor.setup_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                record(request, "auth.login", detail="second factor set up")
            two_factor.login(request, device)
            return redirect(safe_next(request))
        record(request, "auth.login", outcome=Outcome.DENIED, detail="wrong set-up code")
        form.add_error("token", WRONG_CODE)
    context = {
        "form": form,
        "qr": two_factor.qr_svg(device),
        "secret": two_factor.secret_for_manual_entry(device),
        "next": safe_next(request),
    }
    return render(request, "accounts/2fa_setup.html", context)


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    device = two_factor.confirmed_device(request.user)
    if device is None or request.user.is_verified():  # type: ignore[union-attr]
        return redirect(safe_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            two_factor.login(request, device)
            record(request, "auth.login", detail="second factor verified")
            return redirect(safe_next(request))
        record(request, "auth.login", outcome=Outcome.DENIED, detail="wrong second-factor code")
        form.add_error("token", WRONG_CODE)
    return render(request, "accounts/2fa_verify.html", {"form": form, "next": safe_next(request)})
