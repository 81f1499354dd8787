"""Who may see which diary entries and fields, built on the policy core."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dyade.cases import policy
from dyade.cases.models import Partner
from dyade.clinic import diary as diary_rules
from dyade.clinic.visibility import Relation, Visibility, may_see
from dyade.diary.models import DiaryEntry


def can_write_diary(user: Any, partner: Partner, day: dt.date, today: dt.date) -> bool:
    return policy.relation(user, partner) == Relation.AUTHOR and diary_rules.is_editable(day, today)


def entry_fields(user: Any, entry: DiaryEntry, rel: Relation | None = None) -> dict[str, Any]:
    """The fields of ``entry`` that ``user`` may see, as a plain dict.

    Templates render this dict, never the model, so a field that the policy
    hides cannot slip into a page. An entry with nothing visible gives ``{}``.
    Timestamps of writing are never included: when a partner wrote is not
    shown to the other partner.
    """
    rel = policy.relation(user, entry.partner) if rel is None else rel
    if rel == Relation.NONE:
        return {}
    visible: dict[str, Any] = {}
    note_visibility = Visibility(entry.note_visibility)
    for field in diary_rules.FIELDS:
        if may_see(rel, diary_rules.field_visibility(field.name, note_visibility)):
            value = getattr(entry, field.name)
            if field.optional and value in (None, ""):
                continue
            visible[field.name] = value
    if "note" in visible:
        if not visible["note"]:
            del visible["note"]
        else:
            visible["note_visibility"] = entry.note_visibility
    if visible:
        visible["date"] = entry.date
    return visible


def visible_entries(user: Any, partner: Partner, limit: int | None = None) -> list[dict[str, Any]]:
    """The newest ``limit`` (or all) entries of ``partner``, reduced to what ``user`` may see."""
    rel = policy.relation(user, partner)
    if rel == Relation.NONE:
        return []
    entries = partner.diary_entries.order_by("-date")[:limit]
    views = (entry_fields(user, entry, rel) for entry in entries)
    return [view for view in views if view]
