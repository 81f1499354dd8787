"""The track and the observations of a case in words, for the guidance and case pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from dyade.cases.models import Case
from dyade.sessions import access, labels
from dyade.sessions.forms import BALANCE_CHOICES
from dyade.sessions.models import Observation


def timeline(case: Case, user: Any) -> list[dict[str, Any]]:
    """The track changes, oldest first, with the signals behind each in words."""
    items = []
    for change in access.case_track_changes(user, case).select_related("changed_by"):
        items.append(
            {
                "change": change,
                "signals": [labels.rule_label(sid) for sid in change.signals],
                "focus": [label for key, label in BALANCE_CHOICES if key in change.focus],
            }
        )
    return items


def noted_lines(observation: Observation, names: dict[str, str]) -> list[str]:
    """What was noted in one observation, in words; "not noted" items are left out."""
    lines = []
    for name in ("motivation_a", "motivation_b"):
        value = getattr(observation, name)
        if value is not None:
            slot = name[-1].upper()
            lines.append(
                _("motivation of %(name)s: %(value)s")
                % {"name": names.get(slot, slot), "value": value}
            )
    for flag in Observation.FLAGS:
        value = getattr(observation, flag)
        if value is not None:
            label = Observation._meta.get_field(flag).verbose_name
            lines.append(f"{str(label).capitalize()}: {_('yes') if value else _('no')}")
    for name in ("destructive_claim_by", "partner_left_by"):
        value = getattr(observation, name)
        if value:
            label = Observation._meta.get_field(name).verbose_name
            lines.append(f"{str(label).capitalize()}: {labels.value_text(value, names)}")
    return lines
