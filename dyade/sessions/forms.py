"""Forms for the therapist's session work. Each carries a request id against double submits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dyade.clinic import cycle as cycle_core
from dyade.clinic.intake import Position
from dyade.sessions.appointment_forms import SessionChoice
from dyade.sessions.models import Appointment, Decision, Observation, TrackName

BALANCE_CHOICES = [
    ("self", _("a solid sense of self")),
    ("calm", _("a quiet mind and calm heart")),
    ("grounded", _("grounded responding")),
    ("endurance", _("meaningful endurance")),
]


class YesNoUnknown(forms.RadioSelect):
    """Three choices for a yes/no observation: not noted (the default), yes, no."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        choices = [("unknown", _("not noted")), ("true", _("yes")), ("false", _("no"))]
        super().__init__(attrs, choices)

    def format_value(self, value: Any) -> list[str]:
        mapping = {True: "true", False: "false", "true": "true", "false": "false"}
        return [mapping.get(value, "unknown")]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> bool | None:
        return {"true": True, "false": False}.get(data.get(name))


class ObservationForm(forms.ModelForm):  # type: ignore[type-arg]
    request_id = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = Observation
        fields = [
            "date",
            "eft_stage",
            "love_felt",
            "motivation_a",
            "motivation_b",
            "emotional_safety",
            "escalation",
            "hidden_agenda",
            "goals_diverge",
            "needs_encouragement",
            "destructive_claim_by",
            "claim_complied",
            "partner_left_by",
            "powerlessness",
            "connection_not_in_daily_life",
            "approval_dependence",
            "comfort_zone_routine",
            "sex_disrupted_by_attachment",
            "painful_subject_avoided",
            "note",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
            "motivation_a": forms.NumberInput(attrs={"min": 0, "max": 10, "class": "number"}),
            "motivation_b": forms.NumberInput(attrs={"min": 0, "max": 10, "class": "number"}),
            **{flag: YesNoUnknown() for flag in Observation.FLAGS},
        }

    def __init__(
        self,
        *args: Any,
        slots: list[str],
        names: dict[str, str],
        as_before: dict[str, str] | None = None,
        sessions: list[Appointment] | None = None,
        now: dt.datetime | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        # The session the observations belong to: today's or the latest held, preselected.
        self.fields["appointment"] = SessionChoice(sessions or [], now or timezone.now())
        self.order_fields(["appointment"])
        self.fields["eft_stage"].required = False
        for name in ("destructive_claim_by", "partner_left_by"):
            who = [(slot, names.get(slot, slot)) for slot in slots]
            if len(slots) == 2:
                who.append(("both", _("both partners")))
            self.fields[name].choices = [("", _("not noted")), *who, ("none", _("neither"))]
        # A finding noted in an earlier session holds until it is noted otherwise, so
        # "not noted" keeps it: say what it keeps (the case formulation).
        for name, text in (as_before or {}).items():
            field = self.fields.get(name)
            if field is None:
                continue
            field.help_text = text
            if isinstance(field.widget, YesNoUnknown):
                field.widget.choices = [("unknown", _("as before")), *field.widget.choices[1:]]
            else:
                field.choices = [("", _("as before")), *list(field.choices)[1:]]
        for slot in ("A", "B"):
            field = self.fields[f"motivation_{slot.lower()}"]
            if slot not in slots:
                del self.fields[f"motivation_{slot.lower()}"]
            else:
                field.label = _("Motivation of %(name)s (0-10)") % {"name": names.get(slot, slot)}
        if "B" not in slots:
            for flag in ("approval_dependence", "claim_complied"):
                self.fields.pop(flag, None)

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("request_id", None)
        return data


class DecisionForm(forms.Form):
    request_id = forms.UUIDField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=Decision.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Your reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Please give a short reason; it stays on the case.")},
    )

    def __init__(
        self,
        *args: Any,
        sessions: list[Appointment] | None = None,
        now: dt.datetime | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # The session the decision belongs to: today's or the latest held, preselected.
        self.fields["appointment"] = SessionChoice(sessions or [], now or timezone.now())


class TrackForm(forms.Form):
    request_id = forms.UUIDField(widget=forms.HiddenInput)
    track = forms.ChoiceField(label=_("Track"), choices=TrackName.choices)
    stage = forms.TypedChoiceField(
        label=_("EFT stage"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", "—"),
            (1, _("1 de-escalation")),
            (2, _("2 restructuring")),
            (3, _("3 consolidation and farewell")),
        ],
    )
    focus = forms.MultipleChoiceField(
        label=_("Points of balance in focus"),
        required=False,
        choices=BALANCE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("track") == TrackName.EFT and not data.get("stage"):
            self.add_error("stage", _("Choose the EFT stage."))
        if data.get("track") == TrackName.DIFFERENTIATION and not data.get("focus"):
            self.add_error("focus", _("Choose at least one point of balance to work on."))
        return data


POSITION_CHOICES = [
    ("", _("not yet clear")),
    (Position.PURSUE.value, _("pursues")),
    (Position.WITHDRAW.value, _("withdraws")),
]
LAYER_LABELS = {
    "behaviour": _("What they do (what the other sees)"),
    "perceived_as": _("How the other reads it"),
    "secondary_emotion": _("Reactive emotion on the surface"),
    "primary_emotion": _("Softer emotion underneath"),
    "need": _("Attachment need or fear"),
}


class CycleForm(forms.Form):
    """One field per partner, domain and layer: ``A-daily-behaviour`` and so on."""

    request_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, slots: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slots = slots
        for slot in slots:
            for domain in cycle_core.DOMAINS:
                self.fields[f"{slot}-{domain}-position"] = forms.ChoiceField(
                    label=_("Position"), choices=POSITION_CHOICES, required=False
                )
                for layer in cycle_core.LAYERS:
                    self.fields[f"{slot}-{domain}-{layer}"] = forms.CharField(
                        label=LAYER_LABELS[layer],
                        required=False,
                        max_length=cycle_core.MAX_TEXT,
                        widget=forms.Textarea(attrs={"rows": 2}),
                    )

    def groups(self) -> list[dict[str, Any]]:
        """The fields arranged per partner and domain, for the template."""
        result = []
        for slot in self.slots:
            for domain in cycle_core.DOMAINS:
                prefix = f"{slot}-{domain}-"
                result.append(
                    {
                        "slot": slot,
                        "domain": domain,
                        "fields": [self[prefix + "position"]]
                        + [self[prefix + layer] for layer in cycle_core.LAYERS],
                    }
                )
        return result

    @staticmethod
    def initial_from(cycle_map: cycle_core.CycleMap) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for slot, partner_data in cycle_map.as_json().items():
            for domain, side in partner_data.items():
                for key, value in side.items():
                    initial[f"{slot}-{domain}-{key}"] = value or ""
        return initial

    def cycle_map(self) -> cycle_core.CycleMap:
        data: dict[str, Any] = {}
        for slot in self.slots:
            data[slot] = {}
            for domain in cycle_core.DOMAINS:
                prefix = f"{slot}-{domain}-"
                data[slot][domain] = {
                    key: self.cleaned_data.get(prefix + key) or ""
                    for key in ("position", *cycle_core.LAYERS)
                }
        return cycle_core.parse(data, tuple(self.slots))
