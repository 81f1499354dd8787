"""The copy as a readable page: the same content as ``data.json``, in sections of labelled lines.

The page is made from the copy itself, so it cannot show more (or less) than the file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dyade.sessions.forms import LAYER_LABELS

# Section titles, in the order of the page.
TITLES = {
    "person": gettext_lazy("About you"),
    "case": gettext_lazy("Your therapy"),
    "diary": gettext_lazy("Your diary"),
    "questionnaires": gettext_lazy("Your questionnaires"),
    "exercises": gettext_lazy("Your exercises"),
    "readings": gettext_lazy("Pages to read"),
    "reminders": gettext_lazy("Reminders"),
    "research": gettext_lazy("Research"),
    "pattern_maps": gettext_lazy("Your pattern, as your therapist shared it"),
    "closing_summary": gettext_lazy("The closing summary of your therapy"),
}

LABELS = {
    "active": gettext_lazy("still given"),
    "agreements": gettext_lazy("agreements"),
    "agreements_held": gettext_lazy("agreements kept"),
    "answers": gettext_lazy("answers"),
    "at": gettext_lazy("at"),
    "bid_answer": gettext_lazy("how a bid for sex was answered"),
    "breaks": gettext_lazy("breaks"),
    "by": gettext_lazy("by"),
    "case": gettext_lazy("case"),
    "closeness": gettext_lazy("closeness"),
    "conflict": gettext_lazy("conflict"),
    "contact_kind": gettext_lazy("kind of sexual contact"),
    "date": gettext_lazy("day"),
    "decided": gettext_lazy("decided on"),
    "desire": gettext_lazy("sexual desire"),
    "email": gettext_lazy("e-mail address"),
    "entries": gettext_lazy("entries"),
    "exercises": gettext_lazy("exercises for both of you"),
    "feeling": gettext_lazy("feeling"),
    "feeling_seen": gettext_lazy("feeling seen"),
    "for": gettext_lazy("for"),
    "frequency": gettext_lazy("how often"),
    "given": gettext_lazy("given on"),
    "initiator": gettext_lazy("who took the initiative"),
    "instrument": gettext_lazy("instrument"),
    "intensity": gettext_lazy("intensity"),
    "joined": gettext_lazy("joined on"),
    "language": gettext_lazy("language"),
    "last_sent_on": gettext_lazy("last sent on"),
    "logs": gettext_lazy("logs"),
    "minutes": gettext_lazy("minutes"),
    "motive": gettext_lazy("motive for sex"),
    "name": gettext_lazy("name"),
    "needed": gettext_lazy("what I needed"),
    "note": gettext_lazy("note"),
    "note_visibility": gettext_lazy("who may read the note"),
    "on": gettext_lazy("on"),
    "own_thought": gettext_lazy("my own thought"),
    "partner": gettext_lazy("your partner"),
    "outcome": gettext_lazy("how the therapy ended"),
    "pattern_map_of": gettext_lazy("with the pattern shared on"),
    "perceived_desire": gettext_lazy("partner's desire as I read it"),
    "perceived_mood": gettext_lazy("partner's mood as I read it"),
    "published": gettext_lazy("shared on"),
    "read": gettext_lazy("read on"),
    "review_date": gettext_lazy("to look back on"),
    "role": gettext_lazy("position"),
    "seconds": gettext_lazy("seconds"),
    "sent": gettext_lazy("sent on"),
    "sexual_contact": gettext_lazy("sexual contact"),
    "sexual_satisfaction": gettext_lazy("sexual satisfaction"),
    "shared": gettext_lazy("shared with your partner"),
    "start": gettext_lazy("started"),
    "status": gettext_lazy("status"),
    "step": gettext_lazy("step"),
    "stress": gettext_lazy("stress"),
    "taking_part": gettext_lazy("taking part"),
    "therapists": gettext_lazy("therapists"),
    "thoughts": gettext_lazy("thoughts"),
    "timer": gettext_lazy("timer"),
    "timer_runs": gettext_lazy("timer runs"),
    "daily": gettext_lazy("in daily life"),
    "sex": gettext_lazy("around sex"),
    "position": gettext_lazy("position"),
    **LAYER_LABELS,
}

# Keys whose value is how the file names a thing (a questionnaire's id and version): shown
# as the file's text, beside the name in words that heads the item.
FILE_CODES = {"instrument"}

# The key whose value heads an item of each section (the rest are its lines).
HEADINGS = {
    "diary": "date",
    "questionnaires": "questionnaire",
    "exercises": "exercise",
    "readings": "page",
    "reminders": "about",
    "research": "study",
    "pattern_maps": "published",
    "closing_summary": "given",
}


def label(key: str) -> str:
    return str(LABELS.get(key, key.replace("_", " ")))


def text(value: Any) -> str:
    """One value in words: yes or no, a date in the reader's language, a list joined."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, list):
        return ", ".join(text(item) for item in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{label(key)}: {text(item)}" for key, item in value.items())
    return str(value)


def item(data: dict[str, Any], heading_key: str = "", *, compact: bool = False) -> dict[str, Any]:
    """One item: its heading, its lines (label, text), and groups of sub-items (shown
    compactly, as are the items of a diary: one line of "label: value" pairs each)."""
    lines: list[tuple[str, str]] = []
    groups: list[dict[str, Any]] = []
    for key, value in data.items():
        if key == heading_key or value in ([], {}):
            continue
        if key == "answers" and isinstance(value, list):
            lines += [(answer["question"], answer["answer"]) for answer in value]
        elif key == "safety_part" and isinstance(value, list):
            groups.append(
                {
                    "title": _("The safety part"),
                    "entries": [[(a["question"], a["answer"]) for a in value]],
                }
            )
        elif key == "safety_part_left_out":
            lines.append((_("The safety part"), _("not shown here: see the top of this page")))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            groups.append(
                {"title": label(key), "entries": [item(entry)["lines"] for entry in value]}
            )
        elif key == "map" and isinstance(value, dict):
            for name, sides in value.items():
                for domain, side in sides.items():
                    if _words(side):
                        lines.append((f"{name}, {label(domain)}", text(_words(side))))
        elif key in FILE_CODES:
            lines.append((label(key), format_html("<code>{}</code>", text(value))))
        else:
            lines.append((label(key), text(value)))
    heading = text(data.get(heading_key)) if heading_key else ""
    return {"heading": heading, "lines": lines, "groups": groups, "compact": compact}


def _words(side: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in side.items() if value}


def sections(copy: dict[str, Any]) -> list[dict[str, Any]]:
    """The page's sections: (title, items) for each section of the copy, in order."""
    found = []
    for key, title in TITLES.items():
        value = copy.get(key)
        if isinstance(value, dict):
            items = [item(value)] if value else []
        else:
            items = [
                item(entry, HEADINGS.get(key, ""), compact=key == "diary") for entry in value or []
            ]
        found.append({"key": key, "title": str(title), "items": items})
    shared = copy.get("shared_with_me") or {}
    if shared:
        diary = [item(entry, "date", compact=True) for entry in shared.get("diary") or []]
        exercises = [item(entry, "exercise") for entry in shared.get("exercises") or []]
        found.append(
            {
                "key": "shared_with_me",
                "title": _("What %(name)s shares with you") % {"name": shared["from"]},
                "items": diary + exercises,
            }
        )
    return found
