"""Therapist pages for cases, and the partner's invitation page."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dyade.accounts.middleware import FORMAL_DUTCH
from dyade.accounts.models import Role
from dyade.audit.services import Outcome, record
from dyade.cases import lifecycle_views, policy, services
from dyade.cases.forms import AcceptInvitationForm, CaseForm, InviteForm
from dyade.cases.models import CaseKind, Partner
from dyade.db.once import RequestIdTaken


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


def _therapist_only(request: HttpRequest) -> None:
    if not policy.can_create_case(request.user):
        raise PermissionDenied


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    _therapist_only(request)
    colleagues = policy.colleagues_for(request.user).exclude(pk=request.user.pk)
    if request.method == "POST":
        form = CaseForm(request.POST, colleagues=colleagues)
        if form.is_valid():
            data = form.cleaned_data
            partners = [
                services.PartnerDetails(data["a_name"], data["a_email"], data["a_language"])
            ]
            if data["kind"] == CaseKind.COUPLE:
                partners.append(
                    services.PartnerDetails(data["b_name"], data["b_email"], data["b_language"])
                )
            try:
                case, created = services.create_case(
                    request,
                    label=data["label"],
                    kind=data["kind"],
                    partners=partners,
                    co_therapists=list(data["co_therapists"]),
                    request_id=data["request_id"],
                    form=data["form"],
                )
            except RequestIdTaken:  # the id of someone else's form
                form.add_error(None, _("The request was incomplete. Please try again."))
            else:
                if created:
                    messages.success(request, _("The case has been created."))
                return redirect("cases:detail", pk=case.pk)
        record(request, "case.create", outcome=Outcome.INVALID)
    else:
        form = CaseForm(initial={"request_id": uuid.uuid4()}, colleagues=colleagues)
    context = {"form": form, "forms_of_work": lifecycle_views.forms_of_work()}
    return render(request, "cases/case_form.html", context)


@login_required
@require_POST
def invite(request: HttpRequest, pk: int, slot: str) -> HttpResponse:
    _therapist_only(request)
    case = policy.get_case(request, pk, event="invitation.create")
    partner = policy.get_case_partner(request, case, slot, event="invitation.create")
    form = InviteForm(request.POST)
    if not policy.can_invite(request.user, partner):
        messages.error(request, _("This partner has already joined; no new link is needed."))
    elif not form.is_valid():
        messages.error(request, _("The request was incomplete. Please try again."))
    else:
        try:
            invitation, created = services.issue_invitation(
                request, partner, form.cleaned_data["request_id"]
            )
        except RequestIdTaken:  # an id of another partner's form: make nothing
            record(request, "invitation.create", partner=partner, outcome=Outcome.INVALID)
            messages.error(request, _("The request was incomplete. Please try again."))
            return redirect("cases:detail", pk=case.pk)
        if created and invitation.sent_to:
            messages.success(
                request,
                _("A new link has been made and e-mailed to %(email)s.")
                % {"email": invitation.sent_to},
            )
        elif created:
            messages.success(request, _("A new link has been made. Copy it from the case page."))
    return redirect("cases:detail", pk=case.pk)


def _speak_the_partners_language(request: HttpRequest, partner: Partner) -> None:
    """The invitation page speaks the language the therapist chose for this partner.

    Once the partner picks another language in the form, a page shown again (an error)
    follows that choice. A stranger's cookie on a shared computer does not decide it.
    """
    codes = {code for code, _name in settings.LANGUAGES}
    chosen = partner.language
    posted = request.POST.get("language", "") if request.method == "POST" else ""
    language = posted if posted in codes else chosen if chosen in codes else settings.LANGUAGE_CODE
    if language == "nl" and partner.case.practice.formal_dutch:
        language = FORMAL_DUTCH
    translation.activate(language)
    request.LANGUAGE_CODE = language  # type: ignore[attr-defined]


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.find_invitation(token)
    if invitation is None:
        record(
            request,
            "invitation.read",
            outcome=Outcome.DENIED,
            anonymous=True,
            detail="unknown, used or expired link",
        )
        return render(request, "cases/invitation_invalid.html", status=404)
    if request.user.is_authenticated:
        return render(request, "cases/invitation_signed_in.html", status=409)
    partner = invitation.partner
    _speak_the_partners_language(request, partner)
    if request.method == "POST":
        form = AcceptInvitationForm(request.POST)
        if form.is_valid():
            try:
                user = services.accept_invitation(
                    request,
                    invitation,
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password1"],
                    language=form.cleaned_data["language"],
                )
            except ValueError:
                return render(request, "cases/invitation_invalid.html", status=404)
            except IntegrityError:
                # The same address was taken a moment ago (a double submit or a race).
                form.add_error(
                    "email", _("This e-mail address cannot be used. Please choose another one.")
                )
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect("diary:home")
    else:
        record(request, "invitation.read", obj=invitation, partner=partner, anonymous=True)
        form = AcceptInvitationForm(initial={"email": partner.email, "language": partner.language})
    context = {
        "form": form,
        "partner_name": partner.name,
        "practice": partner.case.practice.name,
        "expires_at": invitation.expires_at,
    }
    return render(request, "cases/accept_invitation.html", context)
