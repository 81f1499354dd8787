"""The account page of every role: change one's password; for staff, two-step login
(set up, move to a new phone) and recovery codes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from dyade.accounts import recovery, two_factor
from dyade.accounts.password_forms import password_help
from dyade.accounts.two_factor_views import WRONG_CODE, CodeForm, show_codes
from dyade.audit.services import Outcome, record


def _base_template(user: Any) -> str:
    if user.is_partner:
        return "partner_base.html"
    if user.is_practice_admin:
        return "admin_base.html"
    if user.is_researcher:
        return "research/research_base.html"
    return "therapist_base.html"


def _is_staff(user: Any) -> bool:
    return bool(user.role in two_factor.STAFF_ROLES)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = two_factor.confirmed_device(user) if _is_staff(user) else None
    context = {
        "base": _base_template(user),
        "staff": _is_staff(user),
        "device": device,
        "codes_left": recovery.remaining(user) if device is not None else 0,
    }
    return render(request, "accounts/account.html", context)


class ChangePasswordForm(PasswordChangeForm):
    """A wrong current password counts as a failed login (django-axes and the audit trail),
    so this form cannot be used to guess a password without limit."""

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        super().__init__(request.user, *args, **kwargs)
        self.fields["new_password1"].help_text = password_help()
        self.fields["new_password2"].help_text = ""

    def clean_old_password(self) -> str:
        old: str = self.cleaned_data["old_password"]
        found = authenticate(self.request, username=self.user.email, password=old)
        if found is None or found.pk != self.user.pk:
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old


@login_required
def change_password(request: HttpRequest) -> HttpResponse:
    form = ChangePasswordForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            record(request, "password.update", detail="changed on the account page")
        update_session_auth_hash(request, user)  # this session stays; others end
        messages.success(request, gettext("Your new password is saved."))
        return redirect("accounts:account")
    context = {"form": form, "base": _base_template(request.user)}
    return render(request, "accounts/password_change.html", context)


@login_required
def new_phone(request: HttpRequest) -> HttpResponse:
    """Move two-step login to a new authenticator; the old one stops working when the new
    one is confirmed. Without a device yet, this is the first set-up."""
    user = request.user
    if not _is_staff(user):
        return redirect("accounts:account")
    if two_factor.confirmed_device(user) is None:
        return redirect(f"{reverse('accounts:2fa_setup')}?next={reverse('accounts:account')}")
    device = two_factor.setup_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=user, confirmed=True).delete()
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                record(request, "two_factor.update", detail="authenticator replaced")
            two_factor.login(request, device)
            messages.success(request, gettext("Two-step login now uses your new authenticator."))
            return redirect("accounts:account")
        record(request, "two_factor.update", outcome=Outcome.DENIED, detail="wrong set-up code")
        form.add_error("token", WRONG_CODE)
    context = {
        "form": form,
        "qr": two_factor.qr_svg(device),
        "secret": two_factor.secret_for_manual_entry(device),
        "base": _base_template(user),
    }
    return render(request, "accounts/2fa_new_phone.html", context)


@login_required
@require_POST
def new_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working), shown once."""
    user = request.user
    if not _is_staff(user) or two_factor.confirmed_device(user) is None:
        return redirect("accounts:account")
    with transaction.atomic():
        codes = recovery.make_codes(user)
        record(request, "recovery_codes.create", detail=f"{len(codes)} new codes")
    return show_codes(request, codes, reverse("accounts:account"))
