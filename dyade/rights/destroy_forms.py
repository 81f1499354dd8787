"""The forms of retention and destruction: the practice's term, finding a case, the two steps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dyade.cases.models import Case, CaseKind
from dyade.rights.models import LEGAL_TERMS, MOST_YEARS, Country


class RetentionForm(forms.Form):
    country = forms.ChoiceField(
        label=gettext_lazy("Country of the practice"),
        choices=Country.choices,
        help_text=gettext_lazy(
            "The Netherlands: at least 20 years after the last change (WGBO). "
            "Belgium: at least 30 and at most 50 years after the last contact."
        ),
    )
    years = forms.IntegerField(
        label=gettext_lazy("Years a closed case is kept"),
        min_value=1,
        max_value=MOST_YEARS,
        error_messages={"invalid": gettext_lazy("Give a whole number of years.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        country, years = data.get("country"), data.get("years")
        if country in LEGAL_TERMS and years is not None:
            least, most = LEGAL_TERMS[country]
            if years < least:
                self.add_error(
                    "years", _("The law asks for at least %(years)s years.") % {"years": least}
                )
            elif most is not None and years > most:
                self.add_error(
                    "years", _("The law allows at most %(years)s years.") % {"years": most}
                )
        return data


class FindForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Case name or number"), max_length=100, required=False, strip=True
    )


def _choices(case: Case) -> list[tuple[str, str]]:
    whole = _("The whole case: both partners and the therapist's record")
    if case.kind != CaseKind.COUPLE:
        return [("case", _("The whole case (individual therapy)"))]
    choices = [("case", whole)]
    for partner in case.partners.all():
        choices.append(
            (
                partner.slot,
                _("Only partner %(slot)s (%(name)s) and what only they wrote")
                % {"slot": partner.slot, "name": partner.name},
            )
        )
    return choices


class DestroyForm(forms.Form):
    """Step one: what goes, and the request it goes for."""

    request_id = forms.UUIDField(widget=forms.HiddenInput)
    what = forms.ChoiceField(label=gettext_lazy("What to destroy"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=gettext_lazy("Reason and reference of the request"),
        max_length=200,
        help_text=gettext_lazy(
            "For example: written request of 3 May, our reference 2026-14. Do not write the "
            "client's name: this text stays in the audit log."
        ),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["what"].choices = _choices(case)


class ConfirmForm(DestroyForm):
    """Step two: the same choices, carried over, and the case's name typed again."""

    confirm_name = forms.CharField(
        label=gettext_lazy("Type the name of the case to confirm"), max_length=200, strip=True
    )
    understood = forms.BooleanField(
        label=gettext_lazy("I understand that this cannot be undone."),
        error_messages={"required": gettext_lazy("Tick this box to go on.")},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        self.fields["what"].widget = forms.HiddenInput()
        self.fields["note"].widget = forms.HiddenInput()

    def clean_confirm_name(self) -> str:
        typed = self.cleaned_data["confirm_name"]
        if typed != self.case.label.strip():
            raise forms.ValidationError(
                _("This is not the name of the case. Type it exactly as shown above.")
            )
        return typed
