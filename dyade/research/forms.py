from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dyade.cases.models import Partner
from dyade.clinic import diary as diary_rules
from dyade.db.forms import IdsField
from dyade.research.models import ExportFormat, Study, StudyStatus


class StudyForm(forms.ModelForm):  # type: ignore[type-arg]
    request_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Study
        fields = [
            "title",
            "information_nl",
            "information_en",
            "researchers",
            "allows_free_text",
            "data_from",
            "data_until",
            "status",
        ]
        widgets = {
            "data_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "data_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "researchers": forms.CheckboxSelectMultiple,
            "information_nl": forms.Textarea(attrs={"rows": 6}),
            "information_en": forms.Textarea(attrs={"rows": 6}),
        }
        field_classes = {"researchers": IdsField}
        help_texts = {
            "information_nl": _(
                "What partners read before they decide: who runs the study, what it asks, "
                "how long the data are kept, and whom to contact. Dyade adds what the study "
                "receives and what it never receives."
            ),
            "allows_free_text": _(
                "Only when the study's ethics approval covers free text: notes can name people."
            ),
            "data_from": _("Diary days before this date are never exported."),
        }

    def __init__(self, *args: Any, researchers: Any, practice: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.practice = (
            practice if practice is not None else getattr(self.instance, "practice", None)
        )
        self.fields["researchers"].queryset = researchers
        self.fields["researchers"].label_from_instance = lambda user: (
            f"{user.name} ({user.email})" if user.name else user.email
        )
        locked = self.instance.pk is not None and self.instance.status != StudyStatus.DRAFT
        if locked:
            # What partners agreed to may not change under them.
            for name in ("information_nl", "information_en", "allows_free_text", "data_from"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Fixed since the study opened: partners agreed to this."
                )
            self.fields["status"].choices = [
                (value, label) for value, label in StudyStatus.choices if value != StudyStatus.DRAFT
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("data_from"), data.get("data_until")
        if start and end and end < start:
            self.add_error("data_until", _("This date lies before the first diary day."))
        if data.get("status") == StudyStatus.OPEN:
            self._information_in_every_language(data)
        return data

    def _information_in_every_language(self, data: dict[str, Any]) -> None:
        """A study opens only with its information in each language its partners read.

        Otherwise consent would be read in Dutch under English headings (issue 17).
        """
        if self.practice is None or data.get("information_en", "").strip():
            return
        partners = Partner.objects.filter(case__practice=self.practice)
        english = (
            partners.filter(language="en").exists() or partners.filter(user__language="en").exists()
        )
        if english:
            self.add_error(
                "information_en",
                _(
                    "Some partners in this practice read Dyade in English. Write the "
                    "information in English too before the study opens."
                ),
            )


class ConsentForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("yes", _("Yes, I take part")), ("no", _("No, I do not take part"))],
        widget=forms.RadioSelect,
        label=_("Your decision"),
    )


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("File format"),
        choices=ExportFormat.choices,
        widget=forms.RadioSelect,
        initial=ExportFormat.CSV,
    )
    request_id = forms.UUIDField(required=False, widget=forms.HiddenInput)


SCALES = tuple(
    field.name for field in diary_rules.FIELDS if field.kind == diary_rules.FieldKind.SCALE
)


class AnalysisForm(forms.Form):
    MODELS = [
        ("growth", _("Change over the diary days (dyadic growth model)")),
        ("apim", _("Actor and partner effects (APIM, on each person's average)")),
        ("truthbias", _("How partners read each other's desire (Truth and Bias)")),
    ]
    model = forms.ChoiceField(label=_("Model"), choices=MODELS, widget=forms.RadioSelect)
    outcome = forms.ChoiceField(label=pgettext_lazy("statistics", "Outcome"), required=False)
    predictor = forms.ChoiceField(label=_("Predictor (actor and partner)"), required=False)
    distinguishable = forms.BooleanField(
        label=_("Treat partner A and partner B as distinguishable roles"),
        required=False,
        help_text=_(
            "A and B are given by the therapist and mean nothing in themselves; leave this off "
            "unless you test it."
        ),
    )
    method = forms.ChoiceField(
        label=_("Estimation"),
        choices=[("reml", _("REML")), ("ml", _("Maximum likelihood"))],
        initial="reml",
    )

    def __init__(self, *args: Any, labels: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(name, labels.get(name, name)) for name in SCALES]
        self.fields["outcome"].choices = [("", "—"), *choices]
        self.fields["predictor"].choices = [("", "—"), *choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        model = data.get("model")
        if model in ("growth", "apim") and not data.get("outcome"):
            self.add_error("outcome", _("Choose the outcome."))
        if model == "apim":
            if not data.get("predictor"):
                self.add_error("predictor", _("Choose the predictor."))
            elif data.get("predictor") == data.get("outcome"):
                self.add_error("predictor", _("The predictor must differ from the outcome."))
        return data
