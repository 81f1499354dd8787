"""The practice admin's pages: the practice's therapists and researchers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dyade.accounts import two_factor
from dyade.accounts.forms import TherapistForm
from dyade.accounts.links import set_password_link
from dyade.accounts.models import Role, User
from dyade.audit.services import record
from dyade.cases import policy
from dyade.practice import access


def _admin_only(request: HttpRequest) -> None:
    if not access.can_manage_staff(request.user):
        raise PermissionDenied


def _practice_therapist(request: HttpRequest, pk: int) -> User:
    """A therapist or researcher of the admin's own practice; 403 for non-admins, 404 else."""
    _admin_only(request)
    user = (
        policy.therapists_for(request.user).filter(pk=pk).first()
        or policy.researchers_for(request.user).filter(pk=pk).first()
    )
    if user is None:
        raise Http404
    return user


def _back(user: User) -> HttpResponse:
    return redirect("practice:researchers" if user.is_researcher else "practice:therapists")


@login_required
def therapists(request: HttpRequest) -> HttpResponse:
    return _staff_page(request, Role.THERAPIST)


@login_required
def researchers(request: HttpRequest) -> HttpResponse:
    return _staff_page(request, Role.RESEARCHER)


def _staff_page(request: HttpRequest, role: Role) -> HttpResponse:
    _admin_only(request)
    researcher = role == Role.RESEARCHER
    if request.method == "POST":
        form = TherapistForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            with transaction.atomic():
                user = User.objects.create_user(
                    email=data["email"],
                    name=data["name"],
                    language=data["language"],
                    role=role,
                    practice_id=request.user.practice_id,
                )
                record(request, "researcher.create" if researcher else "therapist.create", obj=user)
            link = set_password_link(user)
            with translation.override(user.language):
                body = render_to_string(
                    "accounts/email/welcome_body.txt",
                    {"user": user, "link": link, "practice": request.user.practice},
                )
                subject = _("Your Dyade account")
            send_mail(subject, body, None, [user.email])
            messages.success(
                request,
                _("%(name)s has been added and has received an e-mail to choose a password.")
                % {"name": user.name},
            )
            return _back(user)
    else:
        form = TherapistForm()
    staff = policy.researchers_for if researcher else policy.therapists_for
    context = {"form": form, "therapists": staff(request.user), "researchers_page": researcher}
    return render(request, "accounts/therapists.html", context)


@login_required
@require_POST
def toggle_therapist(request: HttpRequest, pk: int) -> HttpResponse:
    user = _practice_therapist(request, pk)
    with transaction.atomic():
        user.is_active = not user.is_active
        user.save(update_fields=["is_active"])
        record(
            request,
            f"{user.role}.update",
            obj=user,
            detail="activated" if user.is_active else "deactivated",
        )
    return _back(user)


@login_required
@require_POST
def reset_two_factor(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a therapist's authenticator, so they set up a new one at their next login."""
    user = _practice_therapist(request, pk)
    with transaction.atomic():
        removed = two_factor.remove_devices(user)
        record(request, f"{user.role}.update", obj=user, detail="two-step login reset")
    if removed:
        messages.success(
            request,
            _("%(name)s sets up two-step login again at the next login.") % {"name": user.name},
        )
    return _back(user)
