from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dyade.clinic import diary as rules
from dyade.diary.models import NoteVisibility

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


SCALE_CHOICES = [(value, str(value)) for value in range(rules.SCALE_MIN, rules.SCALE_MAX + 1)]


def _scale(label: str, low: str, high: str) -> forms.IntegerField:
    field = forms.IntegerField(
        label=label,
        min_value=rules.SCALE_MIN,
        max_value=rules.SCALE_MAX,
        widget=forms.RadioSelect(choices=SCALE_CHOICES),
        error_messages={
            "required": _("Please choose a value from 0 to 10."),
            "invalid": _("Please choose a whole number from 0 to 10."),
            "min_value": _("Please choose a value from 0 to 10."),
            "max_value": _("Please choose a value from 0 to 10."),
        },
    )
    field.low, field.high = low, high  # type: ignore[attr-defined]
    return field


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Please answer yes or no.")},
    )


class DiaryForm(forms.Form):
    closeness = _scale(
        _("How close did you feel to your partner today?"), _("not at all"), _("very close")
    )
    feeling_seen = _scale(
        _("How much did you feel seen by your partner today?"), _("not at all"), _("completely")
    )
    stress = _scale(_("How much stress did you feel today?"), _("none"), _("a great deal"))
    desire = _scale(_("How much sexual desire did you feel today?"), _("none"), _("a great deal"))
    sexual_contact = _yes_no(_("Was there sexual contact between you today?"))
    conflict = _yes_no(_("Was there a conflict between you today?"))
    note = forms.CharField(
        label=_("Anything you want to write down about today"),
        required=False,
        max_length=rules.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _(
                "Please keep the note under %(limit_value)d characters (it now has %(show_value)d)."
            )
        },
    )
    note_visibility = forms.ChoiceField(
        label=_("Who may read this note?"),
        choices=NoteVisibility.choices,
        initial=NoteVisibility.PRIVATE,
        widget=forms.RadioSelect,
    )

    @staticmethod
    def initial_from(entry: object) -> dict[str, object]:
        initial: dict[str, object] = {}
        for field in rules.FIELDS:
            value = getattr(entry, field.name)
            if field.kind == rules.FieldKind.YES_NO:
                value = "yes" if value else "no"
            initial[field.name] = value
        initial["note_visibility"] = entry.note_visibility  # type: ignore[attr-defined]
        return initial
