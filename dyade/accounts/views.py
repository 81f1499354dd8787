"""Signing in and out, choosing a language, and where each role lands."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dyade.accounts.forms import LanguageForm, LoginForm
from dyade.accounts.models import Role
from dyade.accounts.navigation import safe_next
from dyade.cases import policy


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    role = request.user.role
    if role == Role.PARTNER and policy.own_partner(request.user) is not None:
        return redirect("diary:home")
    if role == Role.THERAPIST:
        return redirect("cases:list")
    if role == Role.PRACTICE_ADMIN:
        return redirect("practice:therapists")
    if role == Role.RESEARCHER:
        return redirect("research:home")
    return render(request, "accounts/no_access.html", status=403)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    response = HttpResponseRedirect(safe_next(request))
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            request.user.language = language
            request.user.save(update_fields=["language"])
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax"
        )
    return response
