"""The referral letter to a sexologist or physician, prefilled and then edited by the therapist.

Seed 002 (Deij & van Verseveld) names when a relationship therapist refers:
"Hierbij valt te denken aan seksuele disfuncties of problemen die het gevolg
zijn van ziekten, lichamelijke handicaps of parafilieën. Dan zal een verwijzing
naar een seksuoloog moeten plaatsvinden." Dyade's guidance rule
``refer.sexologist`` raises the signal; this module writes the letter.

The prefilled text holds only what the therapist knows as a therapist: the
form of work, the track, the number of sessions and the signal. Nothing from a
partner's private diary or private answers goes in by itself: the intake
answers that point to a referral are offered one by one, and only an item the
therapist ticks is printed, in a block that says whose private answer it is.
(Dyade's own judgement: the intake is private to each partner, so even an
answer that gave rise to the signal is the therapist's choice to pass on.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dyade.audit.services import prepare
from dyade.cases.models import Case, Partner
from dyade.clinic import intake as intake_rules
from dyade.clinic.snapshot import SnapshotError
from dyade.documents.reports import Report, read_intake, session_dates
from dyade.questionnaires import comparison
from dyade.questionnaires import labels as questionnaire_labels
from dyade.sessions import display as session_display
from dyade.sessions import labels
from dyade.sessions import services as session_services

SIGNAL = "refer.sexologist"  # the guidance rule that raises a referral (seed 002)
RECIPIENTS = [
    ("sexologist", gettext_lazy("a sexologist")),
    ("physician", gettext_lazy("a physician")),
]
# Free-text answers that say more about an item (the intake's own detail questions).
DETAILS = {
    "health.illness": "health.illness-detail",
    "health.medication": "health.medication-detail",
}


@dataclass(frozen=True)
class PrivateItem:
    """One private intake answer the therapist may choose to put in the letter."""

    key: str  # "<slot>:<linkId>"
    partner: Partner
    label: str
    answer: str


def private_items(partners: list[Partner], administrations: list[Any]) -> list[PrivateItem]:
    """The intake answers of each partner that point to a referral (seed 002), in words."""
    latest = comparison.latest_sent(administrations)
    items = []
    for partner in partners:
        administration = latest.get((partner.slot, comparison.INTAKE_ID))
        if administration is None:
            continue
        answers = administration.answers
        for link_id, answer in intake_rules.referral_flags(answers):
            text = questionnaire_labels.option_label(link_id, answer)
            detail = str(answers.get(DETAILS.get(link_id, ""), "") or "").strip()
            items.append(
                PrivateItem(
                    key=f"{partner.slot}:{link_id}",
                    partner=partner,
                    label=str(questionnaire_labels.FLAG_LABELS.get(link_id, link_id)),
                    answer=f"{text} ({detail})" if detail else text,
                )
            )
    return items


class ReferralForm(forms.Form):
    recipient = forms.ChoiceField(label=gettext_lazy("Refer to"), choices=RECIPIENTS)
    addressee = forms.CharField(
        label=gettext_lazy("To (name and address)"),
        required=False,
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    letter = forms.CharField(
        label=gettext_lazy("The letter"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=gettext_lazy("Edit it as you like; it is printed as you leave it."),
    )
    items = forms.MultipleChoiceField(
        label=gettext_lazy("Private intake answers to include"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Each is a partner's own private answer. Nothing is included unless you tick it; "
            "the letter marks what you include as that partner's answer."
        ),
    )

    def __init__(self, *args: Any, items: list[PrivateItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [
            (item.key, f"{item.partner.name}: {item.label}: {item.answer}") for item in items
        ]


def prefill(case: Case, partners: list[Partner], therapist: Any, sessions: int, track: str) -> str:
    """The letter's first draft, in the active language, with nothing private in it."""
    names = _(" and ").join(p.name for p in partners)
    lines = [
        _("Dear colleague,"),
        "",
        _(
            "I would like to refer %(names)s to you. Since %(start)s I have seen the couple in "
            "%(form)s (sessions so far: %(sessions)s; current track: %(track)s)."
        )
        % {
            "names": names,
            "start": formats.date_format(timezone.localtime(case.created_at)),
            "form": case.get_form_display().lower(),
            "sessions": sessions,
            "track": track,
        },
        "",
        _(
            "In our sessions questions about their sexuality came up that need an assessment "
            "beyond relationship therapy: a sexual difficulty, or the sexual side of an "
            "illness, a physical limitation or medication."
        ),
        "",
        _("My question to you: [write your question here]."),
        "",
        _("I continue the relationship therapy and would welcome hearing from you."),
        "",
        _("Kind regards,"),
        therapist.name or therapist.email,
    ]
    return "\n".join(lines)


def start(request: HttpRequest, case: Case, partners: list[Partner]) -> dict[str, Any]:
    """What the letter's form needs: the private items on offer and a first draft."""
    administrations, events = read_intake(request, case)
    timeline = session_display.timeline(case, request.user)
    track = timeline[-1]["change"].get_track_display() if timeline else _("none chosen yet")
    sessions = len(session_dates(request, case))
    items = private_items(partners, administrations)
    # The guidance signal behind a referral, for the therapist's eyes on the page only.
    try:
        fired = [v for v in session_services.signals(request, case) if v.signal.id == SIGNAL]
    except SnapshotError:
        fired = []
    names = {p.slot: f"{p.name} ({p.slot})" for p in partners}
    events.append(prepare(request, "guidance.read", case=case, detail=f"{len(fired)} signals"))
    # The partner(s) the intake points to, by name only; both when it points to nobody yet.
    pointed = [p for p in partners if any(item.partner.pk == p.pk for item in items)]
    return {
        "items": items,
        "signal": {
            "title": _(fired[0].rule.title),
            "reasons": labels.reason_lines([r.as_json() for r in fired[0].signal.reasons], names),
            "decision": fired[0].decision,
        }
        if fired
        else None,
        "draft": prefill(case, pointed or partners, request.user, sessions, str(track)),
        "events": events,
    }


def letter(form: ReferralForm, items: list[PrivateItem]) -> Report:
    """The letter as the therapist left it, with only the items they ticked."""
    chosen = [item for item in items if item.key in form.cleaned_data["items"]]
    parts = ["letter"] + [f"private {item.key}" for item in chosen]
    recipient = dict(RECIPIENTS)[form.cleaned_data["recipient"]]
    context = {
        "recipient": recipient,
        "addressee": form.cleaned_data["addressee"],
        "letter": form.cleaned_data["letter"],
        "chosen": chosen,
    }
    return Report("referral", parts, context)
