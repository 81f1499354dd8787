"""Pages to set up and to enter the second factor, or a recovery code instead."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dyade.accounts import recovery, two_factor
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
        if not token.isascii() or not token.isdigit():
            raise forms.ValidationError(_("The code consists of digits only."))
        return token


class RecoveryForm(forms.Form):
    code = forms.CharField(
        label=_("Recovery code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        code = recovery.normalise(self.cleaned_data["code"])
        if len(code) != recovery.LENGTH or not all(ch in recovery.ALPHABET for ch in code):
            raise forms.ValidationError(
                _("A recovery code has ten letters and digits, for example abcde-fgh23.")
            )
        return code


WRONG_CODE = _("That code is not right, or it has expired. Please try the newest code.")
WRONG_RECOVERY = _("That recovery code is not right, or it has been used. Please try another.")


def show_codes(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    """The one time that new recovery codes are shown (never stored, never sent)."""
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url})


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
                codes = recovery.make_codes(request.user)
                record(request, "auth.login", detail="second factor set up")
                record(request, "recovery_codes.create", detail=f"{len(codes)} new codes")
            two_factor.login(request, device)
            return show_codes(request, codes, safe_next(request))
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


@login_required
def use_recovery_code(request: HttpRequest) -> HttpResponse:
    """Log in with a recovery code instead of the phone; then replace the phone."""
    if two_factor.confirmed_device(request.user) is None or request.user.is_verified():  # type: ignore[union-attr]
        return redirect(safe_next(request))
    form = RecoveryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = recovery.use_code(request.user, form.cleaned_data["code"])
        if device is not None:
            left = recovery.remaining(request.user)
            two_factor.login(request, device)
            record(request, "auth.login", detail=f"recovery code used, {left} left")
            messages.warning(
                request,
                ngettext(
                    "You logged in with a recovery code; %(left)d code is left. If you lost "
                    "your phone, set up two-step login on a new phone now.",
                    "You logged in with a recovery code; %(left)d codes are left. If you lost "
                    "your phone, set up two-step login on a new phone now.",
                    left,
                )
                % {"left": left},
            )
            return redirect("accounts:account")
        record(request, "auth.login", outcome=Outcome.DENIED, detail="wrong recovery code")
        form.add_error("code", WRONG_RECOVERY)
    context = {"form": form, "next": safe_next(request)}
    return render(request, "accounts/2fa_recovery.html", context)
