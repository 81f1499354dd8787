"""The therapist's own profile: only they see it and change it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dyade.audit.services import Outcome, record
from dyade.cases import policy
from dyade.reflection.forms import EcrAnswersForm
from dyade.reflection.models import TherapistProfile
from dyade.reflection.services import save_attachment

ECR_FORM = "ecr-r"  # the value of the hidden "form" field of the ECR-R answers


class ProfileForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = TherapistProfile
        fields = [
            "attachment_anxiety",
            "attachment_avoidance",
            "balance_self",
            "balance_calm",
            "balance_grounded",
            "balance_endurance",
        ]
        widgets = {
            "attachment_anxiety": forms.NumberInput(attrs={"min": 1, "max": 7, "step": "0.01"}),
            "attachment_avoidance": forms.NumberInput(attrs={"min": 1, "max": 7, "step": "0.01"}),
            **{
                name: forms.NumberInput(attrs={"min": 0, "max": 10})
                for name in (
                    "balance_self",
                    "balance_calm",
                    "balance_grounded",
                    "balance_endurance",
                )
            },
        }


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    if not policy.can_reflect(request.user):
        raise PermissionDenied
    instance = TherapistProfile.objects.filter(user=request.user).first()
    if request.method == "POST" and request.POST.get("form") == ECR_FORM:
        return _ecr_answers(request, instance)
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=instance)
        if form.is_valid():
            with transaction.atomic():
                saved = form.save(commit=False)
                saved.user = request.user
                saved.updated_at = timezone.now()
                saved.save()
                record(request, "reflection.update", obj=saved)
            messages.success(request, _("Your profile has been saved."))
            return redirect("reflection:profile")
        record(request, "reflection.update", outcome=Outcome.INVALID)
    else:
        form = ProfileForm(instance=instance)
        record(request, "reflection.read", obj=instance)
    return _page(request, form, EcrAnswersForm(), instance)


def _page(
    request: HttpRequest,
    form: ProfileForm,
    ecr: EcrAnswersForm,
    instance: TherapistProfile | None,
) -> HttpResponse:
    context = {"form": form, "ecr": ecr, "profile": instance, "ecr_form": ECR_FORM}
    return render(request, "reflection/profile.html", context)


def _ecr_answers(request: HttpRequest, instance: TherapistProfile | None) -> HttpResponse:
    """Score the therapist's own ECR-R answers; keep the two means, not the answers."""
    ecr = EcrAnswersForm(request.POST)
    if not ecr.is_valid():
        record(request, "reflection.update", outcome=Outcome.INVALID)
        return _page(request, ProfileForm(instance=instance), ecr, instance)
    saved = save_attachment(request.user, ecr.scores["anxiety"], ecr.scores["avoidance"])
    record(request, "reflection.update", obj=saved)
    messages.success(
        request,
        _("Your ECR-R scores are saved: anxiety %(anxiety)s, avoidance %(avoidance)s.")
        % {
            "anxiety": f"{ecr.scores['anxiety']:.2f}",
            "avoidance": f"{ecr.scores['avoidance']:.2f}",
        },
    )
    return redirect("reflection:profile")
