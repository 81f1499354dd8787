from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from dyade.accounts.models import Language, User
from dyade.cases.models import CaseKind
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
        emails = [data.get("a_email"), data.get("b_email")]
        if data.get("kind") == CaseKind.COUPLE and emails[0] and emails[0] == emails[1]:
            self.add_error("b_email", _("Each partner needs their own e-mail address."))
        return data


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
