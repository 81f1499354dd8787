from __future__ import annotations

import uuid

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


def _choice(label: str, choices: list[tuple[str, object]]) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, required=False, widget=forms.RadioSelect)


def _optional_scale(label: str, low: str, high: str) -> forms.IntegerField:
    field = _scale(label, low, high)
    field.required = False
    return field


class _SharedFields(dict):  # type: ignore[type-arg]
    """A form's fields, shared by all its instances instead of deep-copied for each.

    Django deep-copies every field of a form for each instance, so that one
    instance may change its fields; for the diary's fifteen choice fields that
    copy costs more than the rest of a submit. The diary form changes no field
    after start-up (it only leaves some out), so its instances share them.
    """

    def __deepcopy__(self, memo: dict[int, object]) -> dict[str, forms.Field]:
        return dict(self)


class _Quiet(forms.CharField):
    """A hidden field the page fills in, never the partner: a value that cannot be
    read counts as not sent (the send is then saved as a page from before it was
    added would be), so no answer is held back by it."""

    def __init__(self, parse: object) -> None:
        super().__init__(required=False, max_length=40, widget=forms.HiddenInput)
        self.parse = parse

    def clean(self, value: object) -> object:
        try:
            text = super().clean(value)
            return self.parse(text) if text else None  # type: ignore[operator]
        except (ValueError, forms.ValidationError):
            return None


def _version(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) > 2**31 - 1:
        raise ValueError(text)
    return int(text)


class DiaryForm(forms.Form):
    # Which form this is and which version of the day's entry it was filled in on
    # (dyade.diary.services.save_entry): a resend counts once, an old form does not
    # overwrite a newer change.
    request_id = _Quiet(uuid.UUID)
    based_on = _Quiet(_version)
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
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _(
                "This note has %(show_value)d characters; at most %(limit_value)d fit. "
                "Nothing was saved and your text is still here: please shorten it."
            )
        },
    )
    note_visibility = forms.ChoiceField(
        label=_("Who may read this note?"),
        choices=NoteVisibility.choices,
        initial=NoteVisibility.PRIVATE,
        widget=forms.RadioSelect,
    )

    # Optional items: around sex, and how one reads the partner today.
    contact_kind = _choice(
        _("What kind of sexual contact?"),
        [
            ("affection", _("kissing, cuddling")),
            ("touch", _("sexual touching")),
            ("intercourse", _("intercourse")),
            ("other", _("something else")),
        ],
    )
    initiator = _choice(
        _("Who took the initiative?"),
        [("me", _("I did")), ("partner", _("my partner")), ("both", _("both of us"))],
    )
    bid_answer = _choice(
        _("Was there a bid for sex today, and how was it answered?"),
        [
            ("no-bid", _("no bid")),
            ("accepted", _("yes")),
            ("loving-boundary", _("a warm no, with another way to be close")),
            ("declined", _("no")),
        ],
    )
    sexual_satisfaction = _optional_scale(
        _("How satisfied were you with the sexual contact?"), _("not at all"), _("completely")
    )
    motive = _choice(
        _("Mostly, why did you have sex today?"),
        [
            ("closeness", _("to feel close")),
            ("pleasure", _("for the pleasure")),
            ("avoid-fight", _("to avoid a fight")),
            ("keep-peace", _("to keep the peace")),
            ("other", _("something else")),
        ],
    )
    perceived_desire = _optional_scale(
        _("How much sexual desire do you think your partner felt today?"),
        _("none"),
        _("a great deal"),
    )
    perceived_mood = _optional_scale(
        _("How good was your partner's mood today, as you saw it?"),
        _("very low"),
        _("very good"),
    )

    def __init__(
        self,
        *args: object,
        disabled: tuple[str, ...] | list[str] = (),
        yesterday: bool = False,
        **kwargs: object,
    ):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in disabled:
            if name in rules.OPTIONAL:
                self.fields.pop(name, None)
        if yesterday:
            # The fields are shared (see _SharedFields): only this form's bound
            # fields take yesterday's words.
            for name, label in YESTERDAY_LABELS.items():
                if name in self.fields:
                    self[name].label = label

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("sexual_contact"):
            # Answers about the contact itself mean nothing on a day without it; a
            # partner who changed "yes" to "no" cannot untick a radio button.
            for field in rules.FIELDS:
                if field.needs_contact and field.name in data:
                    data[field.name] = None if field.kind == rules.FieldKind.SCALE else ""
        contact = bool(data.get("sexual_contact"))
        for name in rules.check_optional(data, contact):
            if name in self.fields:
                self.add_error(name, _("Please choose one of the answers."))
        return data

    @staticmethod
    def initial_from(entry: object) -> dict[str, object]:
        initial: dict[str, object] = {}
        for field in rules.FIELDS:
            value = getattr(entry, field.name)
            if field.kind == rules.FieldKind.YES_NO:
                value = "yes" if value else "no"
            if value in (None, ""):
                continue
            initial[field.name] = value
        initial["note_visibility"] = entry.note_visibility  # type: ignore[attr-defined]
        initial["based_on"] = entry.version  # type: ignore[attr-defined]
        return initial


# Yesterday's page asks about yesterday (the only earlier day that can still change).
YESTERDAY_LABELS = {
    "closeness": _("How close did you feel to your partner yesterday?"),
    "feeling_seen": _("How much did you feel seen by your partner yesterday?"),
    "stress": _("How much stress did you feel yesterday?"),
    "desire": _("How much sexual desire did you feel yesterday?"),
    "sexual_contact": _("Was there sexual contact between you yesterday?"),
    "conflict": _("Was there a conflict between you yesterday?"),
    "note": _("Anything you want to write down about yesterday"),
    "bid_answer": _("Was there a bid for sex yesterday, and how was it answered?"),
    "motive": _("Mostly, why did you have sex yesterday?"),
    "perceived_desire": _("How much sexual desire do you think your partner felt yesterday?"),
    "perceived_mood": _("How good was your partner's mood yesterday, as you saw it?"),
}

DiaryForm.base_fields = _SharedFields(DiaryForm.base_fields)
# A browser's maxlength cuts a pasted text without a word: the page shows the
# limit and a counter instead, and the server refuses a longer note, keeping it.
DiaryForm.base_fields["note"].widget.attrs.pop("maxlength", None)
DiaryForm.base_fields["note"].widget.attrs.update(
    {"data-limit": str(rules.NOTE_MAX_LENGTH), "data-counter": "note-counter"}
)
