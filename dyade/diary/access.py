"""Who may see which diary entries and fields, built on the policy core."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Max

from dyade.cases import policy
from dyade.cases.models import Case, Partner
from dyade.clinic import diary as diary_rules
from dyade.clinic.visibility import Relation, Visibility, may_see
from dyade.diary.models import DiaryEntry


def can_write_diary(user: Any, partner: Partner, day: dt.date, today: dt.date) -> bool:
    return policy.relation(user, partner) == Relation.AUTHOR and diary_rules.is_editable(day, today)


def entry_fields(
    user: Any, entry: DiaryEntry, rel: Relation | None = None, *, notes: bool = True
) -> dict[str, Any]:
    """The fields of ``entry`` that ``user`` may see, as a plain dict.

    Templates render this dict, never the model, so a field that the policy
    hides cannot slip into a page. An entry with nothing visible gives ``{}``.
    Timestamps of writing are never included: when a partner wrote is not
    shown to the other partner. ``notes=False`` leaves the note out even where
    it may be seen (for pages that show no notes and so need not decrypt them).
    """
    rel = policy.relation(user, entry.partner) if rel is None else rel
    if rel == Relation.NONE:
        return {}
    visible: dict[str, Any] = {}
    note_visibility = Visibility(entry.note_visibility)
    for field in diary_rules.FIELDS:
        if field.name == "note" and not notes:
            continue
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


def visible_window(
    user: Any,
    partners: Iterable[Partner],
    since: dt.date,
    until: dt.date,
    *,
    notes: bool = True,
) -> dict[int, list[dict[str, Any]]]:
    """Per partner (by id), the entries from ``since`` to ``until``, newest first, as ``user``
    may see them.

    One query for all ``partners``, reading only the days asked for; with
    ``notes=False`` no note is read or decrypted. A partner the user does not
    stand in relation to gets an empty list.
    """
    relations = {partner.pk: (partner, policy.relation(user, partner)) for partner in partners}
    shown = [pk for pk, (_partner, rel) in relations.items() if rel != Relation.NONE]
    found: dict[int, list[dict[str, Any]]] = {pk: [] for pk in relations}
    if not shown:
        return found
    entries = DiaryEntry.objects.filter(
        partner_id__in=shown, date__gte=since, date__lte=until
    ).order_by("partner_id", "-date")
    if not notes:
        entries = entries.defer("note")
    for entry in entries:
        partner, rel = relations[entry.partner_id]
        entry.partner = partner  # already loaded: no query per entry
        view = entry_fields(user, entry, rel, notes=notes)
        if view:
            found[entry.partner_id].append(view)
    return found


def partners_with_totals(user: Any, case: Case) -> list[Partner]:
    """The partners of ``case``, each with ``diary_count`` and ``diary_last`` (the newest date).

    Counted in the database, in the same query as the partners, so the cost does
    not grow with the diary. Every entry has a field each relation other than
    "nobody" sees (closeness is shared), so an entry counts when its partner's
    diary may be seen at all; for anyone else both are 0 and None.
    """
    partners = list(
        case.partners.annotate(
            diary_count=Count("diary_entries"), diary_last=Max("diary_entries__date")
        )
    )
    for partner in partners:
        if policy.relation(user, partner) == Relation.NONE:
            partner.diary_count = 0  # type: ignore[attr-defined]
            partner.diary_last = None  # type: ignore[attr-defined]
    return partners
