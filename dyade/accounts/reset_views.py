"""Forgot your password: ask for a link, then choose a new password with it."""

from __future__ import annotations

from typing import Any

from axes.utils import reset as reset_lockouts
from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dyade.accounts.password_forms import FriendlySetPasswordForm
from dyade.accounts.reset import ask_for_link
from dyade.audit.services import record


class ResetForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


def password_reset(request: HttpRequest) -> HttpResponse:
    """The same answer for every valid address: known or not, limited or not."""
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ask_for_link(request, form.cleaned_data["email"])
        return redirect("accounts:password_reset_done")
    return render(request, "accounts/password_reset.html", {"form": form})


def password_reset_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_done.html")


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Choose a password with a link (the first one after an invitation, or a new one).

    The change is audited, and the account's lockouts are lifted: whoever holds the
    link has shown that the mailbox is theirs.
    """

    template_name = "accounts/password_set.html"
    form_class = FriendlySetPasswordForm
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.user
        first = not user.has_usable_password()
        with transaction.atomic():
            response = super().form_valid(form)
            detail = (
                "first password chosen with the link"
                if first
                else "new password chosen with the link"
            )
            record(self.request, "password.update", user=user, detail=detail)
        reset_lockouts(username=user.email)
        messages.success(self.request, gettext("Your password is saved. You can log in now."))
        return response
