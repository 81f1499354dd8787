"""Forms for giving exercises and for a partner's practice log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dyade.clinic import exercises as rules
from dyade.content import exercise_text, exercises
from dyade.sessions.appointment_forms import SessionChoice


class EndExerciseForm(forms.Form):
    how = forms.ChoiceField(
        label=_("How it ends"),
        choices=[
            ("ended", _("Done: it ends as planned")),
            ("withdrawn", _("Withdrawn: it did not fit")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (for you)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssignExerciseForm(forms.Form):
    request_id = forms.UUIDField(widget=forms.HiddenInput)
    slug = forms.ChoiceField(label=_("Exercise"))
    who = forms.ChoiceField(label=_("For"))
    frequency = forms.CharField(
        label=_("How often"),
        max_length=120,
        required=False,
        help_text=_("For example: twice a week"),
    )
    minutes = forms.IntegerField(
        label=_("Minutes (guided exercises)"), required=False, min_value=1, max_value=60
    )
    own_agreements = forms.CharField(
        label=_("Your own agreements with them, one per line"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    review_date = forms.DateField(
        label=_("Review (or end of a pause) on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    safety_override = forms.CharField(
        label=_("Your reason to give a touch or sexual exercise now"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "A safety screen shows a sign (see above). Touch and sexual exercises wait until "
            "you have gone through it with that partner alone, unless you give a reason here. "
            "Your reason is kept with the exercise."
        ),
    )

    def __init__(
        self,
        *args: Any,
        choices_for: list[tuple[str, str]],
        language: str,
        safety_signs: bool = False,
        sessions: list[Any] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.safety_signs = safety_signs
        # The session it is given in: today's or the latest held, preselected.
        self.fields["appointment"] = SessionChoice(sessions or [], timezone.now())
        if not safety_signs:
            del self.fields["safety_override"]
        # Nothing chosen beforehand: the therapist picks the exercise on purpose.
        self.fields["slug"].choices = [("", _("Choose an exercise"))] + [
            (slug, exercise_text(slug, language)["title"])
            for slug, data in exercises().items()
            if data["kind"] != "in-session"
        ]
        self.fields["who"].choices = choices_for

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        slug = data.get("slug")
        minutes = data.get("minutes")
        if (
            self.safety_signs
            and slug
            and exercises()[slug].get("touch")
            and not (data.get("safety_override") or "").strip()
        ):
            self.add_error(
                "safety_override",
                _(
                    "This is a touch or sexual exercise and a safety screen shows a sign. "
                    "Give your reason to go ahead, or choose another exercise."
                ),
            )
        if slug and minutes is not None:
            timer = exercises()[slug].get("timer")
            if not timer:
                self.add_error("minutes", _("This exercise has no timer."))
            elif not timer["min_minutes"] <= minutes <= timer["max_minutes"]:
                self.add_error(
                    "minutes",
                    _("Between %(low)s and %(high)s minutes.")
                    % {"low": timer["min_minutes"], "high": timer["max_minutes"]},
                )
        return data


ROLE_CHOICES = [
    (rules.Role.TOUCHING.value, _("touching")),
    (rules.Role.TOUCHED.value, _("being touched")),
    (rules.Role.BOTH.value, _("both")),
]
FEELING_CHOICES = [
    (rules.Feeling.AVERSION.value, _("aversion")),
    (rules.Feeling.NEUTRAL.value, _("neutral")),
    (rules.Feeling.BODILY.value, _("bodily enjoyment")),
    (rules.Feeling.SEXUAL.value, _("sexual enjoyment")),
]
THOUGHT_CHOICES = [
    ("doing-it-right", _("Am I doing it right?")),
    ("taking-too-long", _("Is this taking too long?")),
    ("partner-bored", _("Is my partner bored?")),
    ("must-lead-to-sex", _("Does this have to lead to sex?")),
]


class LogForm(forms.Form):
    request_id = forms.UUIDField(widget=forms.HiddenInput)
    date = forms.DateField(
        label=_("Day of the practice"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    role = forms.ChoiceField(
        label=_("I was"), choices=ROLE_CHOICES, required=False, widget=forms.RadioSelect
    )
    agreements_held = forms.TypedChoiceField(
        label=_("Did the agreements hold?"),
        choices=[("", _("not sure")), ("yes", _("yes")), ("no", _("no"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    feeling = forms.ChoiceField(
        label=_("What I felt, mostly"),
        choices=FEELING_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    intensity = forms.TypedChoiceField(
        label=_("How strongly (1 = a little, 5 = very)"),
        choices=[("", "—")] + [(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    thoughts = forms.MultipleChoiceField(
        label=_("Thoughts that came up"),
        choices=THOUGHT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    own_thought = forms.CharField(label=_("Another thought"), required=False, max_length=2000)
    needed = forms.CharField(
        label=_("What I needed"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label=_("Anything else"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    shared = forms.BooleanField(
        label=_("Share my feelings, thoughts and needs of this practice with my partner"),
        required=False,
    )

    def __init__(self, *args: Any, allow_empty: bool = False, **kwargs: Any) -> None:
        """``allow_empty``: the log has a timer run, which says what happened by itself."""
        super().__init__(*args, **kwargs)
        self.allow_empty = allow_empty

    def clean_date(self) -> dt.date:
        date: dt.date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("This day has not happened yet."))
        return date

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("intensity") is not None and not data.get("feeling"):
            self.add_error("intensity", _("Say first what you felt."))
        if not self.allow_empty and not self.errors and set(self.log_values()) <= {"date"}:
            raise forms.ValidationError(
                _(
                    "This log is empty. Fill in at least one thing about this practice, "
                    "for example your position or whether the agreements held."
                ),
                code="empty",
            )
        return data

    def log_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[str, Any] = {"date": data["date"]}
        for name in ("role", "feeling", "own_thought", "needed", "note"):
            if data.get(name):
                values[name] = data[name]
        if data.get("intensity") is not None:
            values["intensity"] = data["intensity"]
        if data.get("thoughts"):
            values["thoughts"] = list(data["thoughts"])
        if data.get("agreements_held") is not None:
            values["agreements_held"] = data["agreements_held"]
        return values


class AnswersForm(forms.Form):
    """Free fields of an inventory or a plan, as the exercise file defines them."""

    shared = forms.BooleanField(label=_("Share these answers with my partner"), required=False)

    def __init__(self, *args: Any, fields: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.defined = fields
        for item in fields:
            self.fields[f"f-{item['id']}"] = forms.CharField(
                label=item["label"],
                help_text=item.get("help", ""),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 4 if item["type"] == "list" else 2}),
            )
        self.order_fields([f"f-{item['id']}" for item in fields] + ["shared"])

    def values(self) -> dict[str, str]:
        return {
            item["id"]: self.cleaned_data.get(f"f-{item['id']}", "").strip()
            for item in self.defined
            if self.cleaned_data.get(f"f-{item['id']}", "").strip()
        }


class SessionRecordForm(AnswersForm):
    """The therapist's observation of an in-session exercise: a date and the file's fields."""

    request_id = forms.UUIDField(widget=forms.HiddenInput)
    date = forms.DateField(
        label=_("Session date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, fields: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, fields=fields, **kwargs)
        del self.fields["shared"]
        self.order_fields(["date"] + [f"f-{item['id']}" for item in fields])


class EntryForm(AnswersForm):
    """One entry of a log exercise: the day, the file's fields and whether to share it."""

    request_id = forms.UUIDField(widget=forms.HiddenInput)
    date = forms.DateField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, fields: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, fields=fields, **kwargs)
        self.fields["shared"].label = _("Share this entry with my partner")
        self.order_fields(["date"] + [f"f-{item['id']}" for item in fields] + ["shared"])

    def clean_date(self) -> dt.date:
        date: dt.date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("This day has not happened yet."))
        return date

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not self.values():
            raise forms.ValidationError(
                _("This entry is empty. Fill in at least one field."), code="empty"
            )
        return data
