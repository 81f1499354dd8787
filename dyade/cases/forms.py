from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from dyade.accounts.models import Language, User
from dyade.cases.models import CaseForm as FormOfWork
from dyade.cases.models import CaseKind, Outcome, StoppedBy
from dyade.clinic import caseload as rules
from dyade.db.forms import IdsField


class CaseForm(forms.Form):
    request_id = forms.UUIDField(widget=forms.HiddenInput)
    label = forms.CharField(
        label=_("Case name"),
        max_length=120,
        help_text=_(
            "A code or initials, not full names: the case name is stored unencrypted so "
            "that your caseload can be searched and sorted by it."
        ),
    )
    kind = forms.ChoiceField(
        label=_("Kind of case"),
        choices=CaseKind.choices,
        widget=forms.RadioSelect,
        initial=CaseKind.COUPLE,
    )
    form = forms.ChoiceField(
        label=_("Form of work"),
        choices=FormOfWork.choices,
        widget=forms.RadioSelect,
        initial=FormOfWork.COUPLE_THERAPY,
        required=False,  # none chosen: couple therapy, or individual therapy for one partner
        help_text=_("You can change it later. A case with one partner is individual therapy."),
    )
    a_name = forms.CharField(label=_("Partner A: first name or nickname"), max_length=80)
    a_email = forms.EmailField(
        label=_("Partner A: e-mail address (optional)"),
        required=False,
        help_text=_("If you fill this in, Dyade e-mails the invitation link."),
    )
    a_language = forms.ChoiceField(
        label=_("Partner A: language"), choices=Language.choices, initial=Language.DUTCH
    )
    b_name = forms.CharField(
        label=_("Partner B: first name or nickname"), max_length=80, required=False
    )
    b_email = forms.EmailField(label=_("Partner B: e-mail address (optional)"), required=False)
    b_language = forms.ChoiceField(
        label=_("Partner B: language"), choices=Language.choices, initial=Language.DUTCH
    )
    co_therapists = IdsField(
        label=_("Also assign to"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, colleagues: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["co_therapists"].queryset = colleagues

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == CaseKind.COUPLE and not data.get("b_name"):
            self.add_error("b_name", _("A couple case needs a name for partner B."))
        kind, form = data.get("kind"), data.get("form")
        if kind == CaseKind.INDIVIDUAL:
            data["form"] = FormOfWork.INDIVIDUAL  # one partner: the only form that fits
        elif not form:
            data["form"] = FormOfWork.COUPLE_THERAPY
        elif kind and form not in rules.forms_for(kind):
            self.add_error("form", _("Individual therapy is for a case with one partner."))
        emails = [data.get("a_email"), data.get("b_email")]
        if data.get("kind") == CaseKind.COUPLE and emails[0] and emails[0] == emails[1]:
            self.add_error("b_email", _("Each partner needs their own e-mail address."))
        return data


class FormOfWorkForm(forms.Form):
    form = forms.ChoiceField(
        label=_("Form of work"), choices=FormOfWork.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = rules.forms_for(kind)
        self.fields["form"].choices = [c for c in FormOfWork.choices if c[0] in allowed]


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    stopped_by = forms.ChoiceField(
        label=_("Who stopped"),
        choices=[("", _("(only when stopped early)")), *StoppedBy.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Closing note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For the case's therapists only; the partners never see it."),
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind != CaseKind.COUPLE:  # one partner: no partner B to name
            self.fields["stopped_by"].choices = [
                c for c in self.fields["stopped_by"].choices if c[0] != StoppedBy.PARTNER_B
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == Outcome.STOPPED_EARLY and not data.get("stopped_by"):
            self.add_error("stopped_by", _("Say who stopped."))
        return data


class ColleagueForm(forms.Form):
    """One colleague of the practice, chosen from a list (ids outside it are refused)."""

    colleague = forms.ChoiceField(label=_("Colleague"))

    def __init__(self, *args: Any, colleagues: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by_id = {str(user.pk): user for user in colleagues}
        self.fields["colleague"].choices = [
            (pk, user.name or user.email) for pk, user in self.by_id.items()
        ]

    def clean_colleague(self) -> User:
        return self.by_id[self.cleaned_data["colleague"]]


class InviteForm(forms.Form):
    request_id = forms.UUIDField(widget=forms.HiddenInput)


class AcceptInvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("You log in with this address. Your partner does not see it."),
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=Language.choices, widget=forms.RadioSelect
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("This e-mail address cannot be used. Please choose another one.")
            )
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif p1:
            try:
                password_validation.validate_password(p1, User(email=data.get("email", "")))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
